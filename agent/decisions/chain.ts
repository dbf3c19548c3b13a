// agent/decisions/chain.ts: the decision log is hash-chained. Each entry carries `prev`, the SHA-256 of the line
// before it (64 zeros for the first), so removing or editing an entry breaks the chain at the entry after it,
// and `audit-bundle verify` names that entry. Entries written before chaining (no `prev`) are accepted only as
// the log's beginning.
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export const lineHash = (line: string): string => createHash('sha256').update(line).digest('hex');

/** The `prev` of an entry appended after `lastLine` (undefined for an empty log). */
export function nextPrev(lastLine: string | undefined): string {
  return lastLine === undefined ? GENESIS : lineHash(lastLine);
}

/** Null when the chain holds, else the 1-based line where it breaks, and why. */
export function chainProblem(lines: readonly string[]): { line: number; why: string } | null {
  let chained = false;
  for (let i = 0; i < lines.length; i++) {
    let prev: unknown;
    try {
      prev = (JSON.parse(lines[i]!) as { prev?: unknown }).prev;
    } catch {
      return { line: i + 1, why: 'not a JSON entry' };
    }
    if (prev === undefined) {
      if (chained) return { line: i + 1, why: 'an entry without a hash after chained ones' };
      continue;
    }
    const want = i === 0 ? GENESIS : lineHash(lines[i - 1]!);
    // The first chained entry after unchained ones links to the last of them.
    if (prev !== want) return { line: i + 1, why: `its hash of the entry before does not match (${i === 0 ? 'first entry' : `line ${i}`} was changed, removed or inserted)` };
    chained = true;
  }
  return null;
}
