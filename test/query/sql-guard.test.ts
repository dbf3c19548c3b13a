// The SQL guard on its own: what a model's SQL may be (one SELECT over Sentra's tables and columns) and the
// ways a query can try to be more (a second statement, a comment, a table function, another table).
import { describe, expect, it } from 'vitest';
import { guardSql, QueryRefused } from '../../agent/query/sql-guard.js';
import { bindParams, tokenize } from '../../agent/query/sql-tokens.js';

const opts = { db: 'sentra', tenant: "acme'x" };
const refused = (sql: string): string => {
  try {
    return `ran: ${guardSql(sql, opts)}`;
  } catch (err) {
    if (err instanceof QueryRefused) return err.message;
    throw err;
  }
};

describe('the SQL guard', () => {
  it('runs a SELECT over Sentra\'s tables, limited to the tenant, with a LIMIT added or capped', () => {
    expect(guardSql('SELECT host, count() AS n FROM signals_latest WHERE band = \'high\' GROUP BY host ORDER BY n DESC', opts))
      .toBe("SELECT host, count() AS n FROM (SELECT * FROM sentra.signals_latest WHERE tenant = 'acme\\'x') AS signals_latest WHERE band = 'high' GROUP BY host ORDER BY n DESC LIMIT 1000");
    expect(guardSql('select id from sentra.incidents_latest i limit 5;', opts))
      .toBe("select id from (SELECT * FROM sentra.incidents_latest WHERE tenant = 'acme\\'x') i limit 5");
    expect(guardSql('SELECT id FROM signals LIMIT 10, 999999', opts)).toMatch(/LIMIT 10, 1000$/);
    expect(guardSql('SELECT id FROM signals LIMIT 999999', opts)).toMatch(/LIMIT 1000$/);
    expect(guardSql('SELECT arrayJoin(users) AS u, count() AS c FROM signals_latest GROUP BY u LIMIT 1 BY u', opts)).toMatch(/LIMIT 1 BY u LIMIT 1000$/);
    expect(guardSql("SELECT id FROM signals_latest WHERE arrayExists(x -> x = 'a -- b; DROP', users)", opts)).toContain("'a -- b; DROP'");
  });

  it.each([
    ['DROP TABLE sentra.signals', /not a SELECT/],
    ["INSERT INTO sentra.signals (id) VALUES ('x')", /not a SELECT/],
    ['SELECT * FROM signals_latest; DROP TABLE signals', /more than one statement/],
    ['SELECT 1 /* ; DROP TABLE signals */', /comment/],
    ['SELECT id FROM signals_latest -- hidden', /comment/],
    ["SELECT * FROM file('/etc/passwd', 'TSV', 'a String')", /function file\(\)/],
    ["SELECT * FROM url('http://203.0.113.1/x', CSV, 'a String')", /function url\(\)/],
    ["SELECT * FROM remote('10.0.0.1', system.users)", /function remote\(\)/],
    ["SELECT file('/etc/passwd') AS f FROM signals_latest", /function file\(\)/],
    ["SELECT dictGet('d', 'a', 1) AS x FROM signals_latest", /function dictGet\(\)/],
    ['SELECT name FROM system.users', /name is not a column/],
    ['SELECT id FROM system.users', /SYSTEM is not allowed/],
    ['SELECT id FROM `system`.`users`', /system.users is not one of Sentra's tables/],
    ['SELECT * FROM evidence', /evidence is not one of Sentra's tables/],
    ['SELECT * FROM other.signals_latest', /other.signals_latest is not one of/],
    ['SELECT * FROM signals_latest, incidents_latest', /comma/],
    ['SELECT password FROM signals_latest', /password is not a column/],
    ['SELECT id FROM signals_latest SETTINGS readonly = 0', /SETTINGS is not allowed/],
    ['SELECT id FROM signals_latest FORMAT TSV', /FORMAT is not allowed/],
    ["SELECT id FROM signals_latest INTO OUTFILE '/tmp/x'", /INTO is not allowed/],
    ['SELECT id FROM signals_latest UNION ALL SELECT id FROM incidents_latest', /UNION is not allowed/],
    ["SELECT id FROM signals_latest WHERE host = 'x", /not valid SQL: a string is not closed/],
    ['SELECT id FROM signals_latest LIMIT n', /LIMIT must be followed by a whole number/],
    ['SELECT id FROM signals_latest WHERE (1', /parentheses/],
    ['SELECT {x:String} AS v FROM signals_latest', /placeholder/],
    ['SELECT id FROM numbers(10)', /function numbers\(\)/],
  ])('refuses %s', (sql, why) => {
    expect(refused(sql)).toMatch(why);
  });

  it('tokenizes every character into exactly one token, quotes and comments included', () => {
    const sql = "SELECT 'it''s \\' -- no', `we\"ird`, \"x\" /* a /* nested */ b */ FROM t -- end\n";
    expect(tokenize(sql).map((t) => t.text).join('')).toBe(sql);
    expect(tokenize(sql).filter((t) => t.type === 'comment')).toHaveLength(2);
    expect(tokenize(sql).find((t) => t.type === 'string')!.value).toBe("it's ' -- no");
  });

  it('binds parameters as typed literals, never inside strings', () => {
    expect(bindParams("SELECT '{a:String}' AS s, {a:String} AS t, {n:UInt32} AS n, has({xs:Array(String)}, 'q') AS h",
      { a: "x' OR 1=1 --\\", n: 7, xs: ['p', "q'"] }))
      .toBe("SELECT '{a:String}' AS s, 'x\\' OR 1=1 --\\\\' AS t, 7 AS n, has(['p', 'q\\''], 'q') AS h");
    expect(() => bindParams('SELECT {n:UInt32}', { n: '1; DROP' })).toThrow(/not an integer/);
  });
});
