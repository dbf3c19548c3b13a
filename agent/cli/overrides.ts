// agent/cli/overrides.ts: `sentra overrides check [FILE]` - validate overrides.json and explain problems.
import { readFileSync } from 'node:fs';
import { SentraError } from '../errors.js';
import { checkOverrides } from '../override/load.js';
import { EXIT } from './exit.js';
import { now as clockNow } from '../clock.js';

export function runOverridesCheck(file: string, format: string, now = clockNow()): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SentraError('ERR_OVERRIDES_FILE', `cannot read: ${(err as Error).message}`, file);
  }
  const { problems, set } = checkOverrides(text, file);
  const expired = set ? set.overrides.filter((o) => o.expires !== undefined && o.expires < now).map((o) => o.spec.id) : [];
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ file, valid: problems.length === 0, problems, overrides: set?.overrides.length ?? 0, expired })}\n`);
  } else if (problems.length > 0) {
    const code = problems[0]!.message.startsWith('not valid JSON') ? 'ERR_OVERRIDES_FILE' : 'ERR_OVERRIDES_INVALID';
    process.stderr.write(`${file}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} [${code}]\n`);
    for (const p of problems) process.stderr.write(`  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path}: ${p.message}\n`);
  } else {
    process.stdout.write(`${file}: valid, ${set!.overrides.length} ${set!.overrides.length === 1 ? 'override' : 'overrides'}\n`);
    for (const id of expired) process.stdout.write(`  note: ${id} has expired and no longer applies to new activity\n`);
  }
  return problems.length === 0 ? EXIT.OK : EXIT.USAGE;
}
