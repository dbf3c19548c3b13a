// test/helpers/signals.ts: a minimal Signal for stage tests that do not need a whole pipeline.
import type { Signal } from '../../agent/model.js';

export function signal(over: Partial<Signal> = {}): Signal {
  return {
    id: 'a1b2c3d4e5f6', host: 'web-01', kind: 'privilege-use', title: 't', intent: 'maintenance',
    first_seen: '2026-11-07T00:30:00.000Z', last_seen: '2026-11-07T01:45:00.000Z', count: 3,
    entities: { user: 'deploy', target_users: ['root'], commands: ['/usr/bin/apt-get upgrade -y', '/usr/bin/apt-get update'] },
    rules: ['sudo-maintenance-command'], mitre: [], soc2: ['CC8.1'], iso27001: ['A.8.32'], risk: 0.05, band: 'info',
    factors: [], action_required: false, explanation: 'e', recommended_action: 'r', suppressed: false, evidence: [], facts: {},
    ...over,
  };
}
