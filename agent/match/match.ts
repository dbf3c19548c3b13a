// agent/match/match.ts: Line → Event | null. Pure: the first rule (in file order) for the line's program
// whose literal prefix and pattern match wins; lines no rule matches are counted by the caller, not printed.
// Rules listing the program `*` (generic PAM module lines, which any PAM-using program writes) are tried
// after the program's own rules, and alone for programs no rule names.
// Captured addresses are normalised here, once, for every rule (see address.ts).
import type { Event, EventFields, Line } from '../model.js';
import { isDottedQuad, normaliseAddresses, sourceOf } from './address.js';
import type { CompiledRule } from './compile.js';

/**
 * The rules of one program, bucketed by the first character of their literal prefix: a line only tries
 * the rules whose prefix could match its first character, plus the rules without a prefix, in file order.
 */
class ProgramRules {
  readonly all: CompiledRule[] = [];
  private readonly byFirst = new Map<number, CompiledRule[]>();
  private unprefixed: CompiledRule[] = [];

  add(rule: CompiledRule): void {
    this.all.push(rule);
  }

  index(): void {
    this.unprefixed = this.all.filter((r) => r.prefix.length === 0);
    for (const c of new Set(this.all.filter((r) => r.prefix.length > 0).map((r) => r.prefix.charCodeAt(0)))) {
      this.byFirst.set(c, this.all.filter((r) => r.prefix.length === 0 || r.prefix.charCodeAt(0) === c));
    }
  }

  candidates(message: string): CompiledRule[] {
    return this.byFirst.get(message.charCodeAt(0)) ?? this.unprefixed;
  }
}

/** The program name that makes a rule apply to every program, after that program's own rules. */
export const ANY_PROGRAM = '*';

export class Matcher {
  private readonly byProgram = new Map<string, ProgramRules>();
  private readonly anyProgram = new ProgramRules();

  constructor(readonly rules: readonly CompiledRule[]) {
    for (const rule of rules) {
      for (const program of rule.spec.programs) {
        if (program === ANY_PROGRAM) {
          this.anyProgram.add(rule);
          continue;
        }
        let list = this.byProgram.get(program);
        if (!list) this.byProgram.set(program, (list = new ProgramRules()));
        list.add(rule);
      }
    }
    // Generic rules come after every program's own rules, whatever file they are in: the specific wins.
    for (const list of this.byProgram.values()) {
      for (const rule of this.anyProgram.all) if (!list.all.includes(rule)) list.add(rule);
      list.index();
    }
    this.anyProgram.index();
  }

  /** Whether some rule can classify lines of this program; lines of other programs are never tried. */
  knows(program: string): boolean {
    return this.byProgram.has(program) || this.anyProgram.all.length > 0;
  }

  /** The rule that wins for this program and message, with its captures. */
  classify(program: string, message: string): { rule: CompiledRule; fields: EventFields; src: string | undefined } | null {
    const rules = this.byProgram.get(program) ?? this.anyProgram;
    const candidates = rules.candidates(message);
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i]!;
      if (rule.prefix.length > 0 && !message.startsWith(rule.prefix)) continue;
      const m = rule.fast.exec(message);
      if (m === null) continue;
      const fields: EventFields = rule.set ? { ...rule.set } : {};
      const slots = rule.slots;
      for (let g = 0; g < slots.length; g++) {
        const name = slots[g]!;
        const v = m[g + 1];
        if (name !== '' && v !== undefined && v !== '') fields[name] = v;
      }
      // Addresses: read from the match array, and only one that may need it takes the general path: an IPv4
      // address captured by a digits-and-dots class is left as captured (validating each costs a tenth of
      // the matcher's time).
      const ip = rule.ipGroup > 0 ? m[rule.ipGroup] : undefined;
      const host = rule.hostGroup > 0 ? m[rule.hostGroup] : undefined;
      const plain = ip === undefined || ip === '' || (rule.ipChars ? ip.indexOf(':') === -1 : isDottedQuad(ip));
      if (plain && (host === undefined || host === '') && rule.set === undefined) return { rule, fields, src: ip || undefined };
      normaliseAddresses(fields);
      return { rule, fields, src: sourceOf(fields) };
    }
    return null;
  }

  match(line: Line): Event | null {
    const hit = this.classify(line.program, line.message);
    if (hit === null) return null;
    return {
      ts: line.ts, host: line.host, program: line.program, pid: line.pid,
      rule: hit.rule.ref, fields: hit.fields, src: hit.src, repeat: line.repeat, raw: line.raw,
    };
  }
}
