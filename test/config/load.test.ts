import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION } from '../../agent/config/detection.js';
import { makeConfig } from '../../agent/config/load.js';
import { SentraError } from '../../agent/errors.js';

describe('makeConfig', () => {
  it('applies defaults key by key and freezes the result', () => {
    const c = makeConfig({ detection: { brute_force: { heavy_attempts: 50 } } });
    expect(c.detection.brute_force.heavy_attempts).toBe(50);
    expect(c.detection.password_spray).toEqual(DEFAULT_DETECTION.password_spray);
    expect(Object.isFrozen(c.detection.limits)).toBe(true);
  });

  it.each([
    [{ detection: { brute_forse: {} } }, '/detection: unknown field "brute_forse"'],
    [{ detection: { business_hours: { start_hour: 25 } } }, '/detection/business_hours/start_hour: must be <= 24'],
    [{ timezone: 'Nowhere/Land' }, '/timezone: unknown time zone "Nowhere/Land"'],
    [{ detection: { limits: { evidence_per_signal: 0 } } }, '/detection/limits/evidence_per_signal: must be >= 1'],
  ])('rejects %j naming the key', (data, message) => {
    try {
      makeConfig(data, 'config.yaml');
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(SentraError);
      expect((err as SentraError).code).toBe('ERR_CONFIG_INVALID');
      expect((err as SentraError).message).toContain(message);
      expect((err as SentraError).message).toMatch(/^config\.yaml: /);
    }
  });
});
