// agent/query/sql-tokens.ts: a small tokenizer for ClickHouse SQL, careful about the places where text can
// hide: string literals ('…' with \ escapes and doubled quotes), quoted identifiers (`…` and "…"), comments
// (--, #, /* */, which ClickHouse nests), and query-parameter placeholders {name:Type}. Every character
// of the input belongs to exactly one token, so the tokens joined give the text back.
export type TokenType = 'space' | 'comment' | 'string' | 'ident' | 'quoted' | 'number' | 'param' | 'punct' | 'semicolon';

export interface Token {
  type: TokenType;
  text: string;
  /** For ident and quoted: the name (unquoted); for string: the value. */
  value: string;
}

export class SqlSyntaxError extends Error {}

function quoted(sql: string, i: number, q: string): [string, number] {
  let value = '';
  let j = i + 1;
  for (;;) {
    if (j >= sql.length) throw new SqlSyntaxError(`a ${q === "'" ? 'string' : 'quoted name'} is not closed`);
    const c = sql[j]!;
    if (c === '\\') {
      if (j + 1 >= sql.length) throw new SqlSyntaxError('a backslash ends the query');
      const n = sql[j + 1]!;
      value += ({ n: '\n', t: '\t', r: '\r', 0: '\0', b: '\b', f: '\f' } as Record<string, string>)[n] ?? n;
      j += 2;
    } else if (c === q && sql[j + 1] === q) {
      value += q;
      j += 2;
    } else if (c === q) {
      return [value, j + 1];
    } else {
      value += c;
      j += 1;
    }
  }
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const rest = sql.slice(i, i + 2);
    let j: number;
    let type: TokenType;
    let value = '';
    if (/\s/.test(c)) {
      j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      type = 'space';
    } else if (rest === '--' || c === '#') {
      j = sql.indexOf('\n', i);
      j = j === -1 ? sql.length : j + 1;
      type = 'comment';
    } else if (rest === '/*') {
      let depth = 0;
      j = i;
      do {
        if (j >= sql.length) throw new SqlSyntaxError('a /* comment is not closed');
        if (sql.startsWith('/*', j)) { depth++; j += 2; } else if (sql.startsWith('*/', j)) { depth--; j += 2; } else j++;
      } while (depth > 0);
      type = 'comment';
    } else if (c === "'") {
      [value, j] = quoted(sql, i, "'");
      type = 'string';
    } else if (c === '`' || c === '"') {
      [value, j] = quoted(sql, i, c);
      type = 'quoted';
    } else if (/[A-Za-z_]/.test(c)) {
      j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      type = 'ident';
      value = sql.slice(i, j);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0x[0-9A-Fa-f]+|0b[01]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)/.exec(sql.slice(i))!;
      j = i + m[0].length;
      if (/[A-Za-z_]/.test(sql[j] ?? '')) throw new SqlSyntaxError(`"${sql.slice(i, j + 1)}" is neither a number nor a name`);
      type = 'number';
      value = m[0];
    } else if (c === '{') {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z0-9_()]+)\}/.exec(sql.slice(i));
      if (!m) throw new SqlSyntaxError('a { is not a query parameter {name:Type}');
      j = i + m[0].length;
      type = 'param';
      value = m[1]!;
    } else if (c === ';') {
      j = i + 1;
      type = 'semicolon';
    } else if (/[-+*/%=<>!|,.()[\]:?]/.test(c)) {
      const two = /^(<=|>=|!=|<>|==|\|\||->|::)/.exec(sql.slice(i));
      j = i + (two ? 2 : 1);
      type = 'punct';
      value = sql.slice(i, j);
    } else {
      throw new SqlSyntaxError(`the character "${c === '\u0000' ? '\\0' : c}" has no place in a query`);
    }
    out.push({ type, text: sql.slice(i, j), value });
    i = j;
  }
  return out;
}

/** A ClickHouse string literal. */
export const literal = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Puts the values of {name:Type} placeholders into the text as typed literals (the ClickHouse 18 server in
 * Debian has no query parameters). Only placeholder tokens are replaced, never text inside a string.
 */
export function bindParams(sql: string, params: Record<string, unknown>): string {
  return tokenize(sql).map((t) => {
    if (t.type !== 'param') return t.text;
    const type = /:([A-Za-z0-9_()]+)\}$/.exec(t.text)![1]!;
    const v = params[t.value];
    if (v === undefined) throw new SqlSyntaxError(`no value for the parameter ${t.value}`);
    if (/^U?Int\d+$/.test(type)) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new SqlSyntaxError(`${t.value} is not an integer`);
      return String(v);
    }
    if (type === 'String') return literal(String(v));
    if (type === 'Array(String)' && Array.isArray(v)) return `[${v.map((x) => literal(String(x))).join(', ')}]`;
    throw new SqlSyntaxError(`the parameter type ${type} is not supported`);
  }).join('');
}
