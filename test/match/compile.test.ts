import { describe, expect, it } from 'vitest';
import { literalPrefix } from '../../agent/match/compile.js';

describe('literalPrefix', () => {
  it.each([
    ['^Failed password for (?<user>.*)', 'Failed password for '],
    ['^pam_unix\\(sshd:auth\\): authentication failure;', 'pam_unix(sshd:auth): authentication failure;'],
    ['^Accepted (?<m>\\S+)', 'Accepted '],
    ['^Invalid users? from', 'Invalid user'],
    ['^\\s*(?<user>\\S+) : TTY', ''],
    ['no anchor', ''],
    ['^abc|^def', ''],
    ['^(?:abc|def)x', ''],
    ['^ab[|]c(?:d|e)', 'ab'],
    ['^a{2}', ''],
  ])('%s → %j', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });
});
