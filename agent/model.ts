// agent/model.ts: the types that flow between pipeline stages.
// sources → RawLine → parse → Line → match → Event → aggregate → SignalDraft → score → Signal → override
//   → correlate → Incident → sinks

export type Intent =
  | 'remote-access' | 'credential-access' | 'privilege-use' | 'identity-management' | 'persistence'
  | 'maintenance' | 'defense-impairment' | 'discovery' | 'session' | 'noise';
export type Outcome = 'success' | 'failure' | 'info';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Band = 'high' | 'medium' | 'low' | 'info';
/** Bands in order, for "this band and above" and for ordering by band. */
export const BAND_RANK: Readonly<Record<Band, number>> = { info: 0, low: 1, medium: 2, high: 3 };

/** One line as a source read it, before any interpretation. */
export interface RawLine {
  text: string;
  /** File path, `-` for stdin, or `journal`. */
  file: string;
  /** 1-based line number within `file`. */
  lineNo: number;
  /** journald cursor, when the line came from the journal. */
  cursor?: string;
  /** The line was longer than the limit and was cut (see sources/read-lines.ts). */
  truncated?: boolean;
}

/** A line split into its envelope: when, where, which program, and the message body. */
export interface Line {
  ts: number;
  host: string;
  program: string;
  pid: number | undefined;
  message: string;
  /** rsyslog "message repeated N times" folds N identical messages into one line. */
  repeat: number;
  raw: RawLine;
}

/** The fields a rule may capture; see rules/rule.schema.json. */
export type EventFields = Record<string, string>;

export interface RuleRef {
  id: string;
  title: string;
  intent: Intent;
  outcome: Outcome;
  severity: Severity;
  tags: ReadonlySet<string>;
  mitre: readonly string[];
  soc2: readonly string[];
  iso27001: readonly string[];
}

/** A line that a rule recognised. */
export interface Event {
  ts: number;
  host: string;
  program: string;
  pid: number | undefined;
  rule: RuleRef;
  fields: EventFields;
  /** The remote peer: fields.src_ip, else fields.src_host (see match/address.ts), set once by the matcher. */
  src: string | undefined;
  repeat: number;
  raw: RawLine;
}

export interface Evidence {
  ts: string;
  source: string;
  cursor?: string;
  line: string;
}

export interface Factor {
  name: string;
  weight: number;
  detail: string;
}

/** What aggregation knows about a group of events, before scoring. */
export interface SignalDraft {
  id: string;
  host: string;
  kind: string;
  key: string;
  windowStart: number;
  intent: Intent;
  firstSeen: number;
  lastSeen: number;
  count: number;
  entities: Record<string, string | number | string[]>;
  rules: string[];
  mitre: string[];
  soc2: string[];
  iso27001: string[];
  evidence: Evidence[];
  /** Kind-specific facts that score/explain read (numbers, names); never raw lines. */
  facts: Record<string, string | number | boolean | string[] | number[]>;
  /** Factor names the detector established, with a human detail; score.ts weighs them. */
  traits: Array<{ name: string; detail: string }>;
}

export interface OverrideMark {
  id: string;
  reason: string;
  action: 'suppress' | 'resolve';
  reviewer?: string;
}

/** The output contract of `sentra scan` (jsonl) and of every sink. */
export interface Signal {
  id: string;
  host: string;
  kind: string;
  title: string;
  intent: Intent;
  first_seen: string;
  last_seen: string;
  count: number;
  entities: Record<string, string | number | string[]>;
  rules: string[];
  mitre: string[];
  soc2: string[];
  iso27001: string[];
  risk: number;
  band: Band;
  factors: Factor[];
  action_required: boolean;
  explanation: string;
  recommended_action: string;
  suppressed: boolean;
  override?: OverrideMark;
  overrides_matched?: string[];
  /** The incident this signal belongs to (see agent/correlate); null or absent when it stands alone. */
  incident_id?: string | null;
  evidence: Evidence[];
  facts: Record<string, string | number | boolean | string[] | number[]>;
}

/** The ATT&CK tactics an incident's steps are told in, in the order an intrusion usually goes. */
export type Tactic = 'credential-access' | 'initial-access' | 'execution' | 'privilege-escalation' | 'persistence' | 'defense-evasion';

/** Why a signal joined an incident: the signal it links to and the plain reason. */
export interface IncidentLink {
  signal_id: string;
  /** The signal already in the incident that this one links to (null for the signal that opened it). */
  linked_to: string | null;
  reason: string;
}

export interface TimelineStep {
  time: string;
  signal_id: string;
  host: string;
  tactic: Tactic;
  description: string;
}

/** Signals that tell one story (one intrusion), in event-time order; the output of the correlate stage. */
export interface Incident {
  id: string;
  /** `host` for one host; `fleet` when the story spans hosts (see cli/fleet). */
  scope: 'host' | 'fleet';
  title: string;
  hosts: string[];
  first_seen: string;
  last_seen: string;
  signals: string[];
  entities: { addresses: string[]; accounts: string[] };
  timeline: TimelineStep[];
  links: IncidentLink[];
  tactics: Tactic[];
  risk: number;
  band: Band;
  action_required: boolean;
  explanation: string;
  recommended_action: string;
  suppressed: boolean;
  mitre: string[];
  soc2: string[];
  iso27001: string[];
}
