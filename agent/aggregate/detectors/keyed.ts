// agent/aggregate/detectors/keyed.ts: the shape of a detector that groups events by a key within a day.
import type { DetectionConfig } from '../../config/detection.js';
import type { Event, SignalDraft } from '../../model.js';
import type { BusinessClock } from '../business-hours.js';
import type { DraftBuilder } from '../draft.js';
import type { HostState } from '../state.js';

export interface DetectorContext {
  cfg: DetectionConfig;
  hours: BusinessClock;
  host: HostState;
}

/**
 * A keyed detector. Implementations must:
 * - keep `acc` bounded (capped counters, fixed-size lists);
 * - decide traits only from the events they were given and host state, never from wall-clock time;
 * - return null from finish() when the group turns out not to be worth a signal.
 */
export interface KeyedKind<A> {
  kind: string;
  init(): A;
  /** `weight`: how many occurrences the event stands for (its repeat count, or the attempts it counts). */
  add(acc: A, ev: Event, ctx: DetectorContext, builder: DraftBuilder, weight: number): void;
  finish(builder: DraftBuilder, acc: A, ctx: DetectorContext): SignalDraft | null;
}

export type Trait = SignalDraft['traits'][number];

/** An overflow group collects what exceeded a kind's key cap; its facts say so. */
export const OVERFLOW_KEY = '__overflow__';
