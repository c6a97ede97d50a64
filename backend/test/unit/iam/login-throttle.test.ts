// Limitation des tentatives : fenêtre glissante, limites relues à chaque contrôle (un réglage changé vaut aussitôt).
import { describe, expect, it } from 'vitest';
import { LoginThrottle, throttleFromSettings } from '../../../src/iam/login-throttle.js';

describe('login throttle', () => {
  it('pauses a key after the configured failures, for the rest of the window, and follows a changed limit', async () => {
    const values: Record<string, number> = { 'security.throttle.loginFailures': 3, 'security.throttle.windowMinutes': 10 };
    const throttle = new LoginThrottle(throttleFromSettings({ platformValue: async <T>(key: string) => values[key] as T }, 'security.throttle.loginFailures'));
    const keys = ['account:acme:ann@example.com', 'ip:10.0.0.1'];
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 3; i++) {
      expect(await throttle.retryAfter(keys, t0 + i * 1000)).toBe(0);
      throttle.fail(keys, t0 + i * 1000);
    }
    expect(await throttle.retryAfter(keys, t0 + 3000)).toBe(597);
    expect(await throttle.retryAfter(['ip:10.0.0.2'], t0 + 3000)).toBe(0);
    values['security.throttle.loginFailures'] = 5;
    expect(await throttle.retryAfter(keys, t0 + 3000)).toBe(0);
    expect(await throttle.retryAfter(keys, t0 + 601_000)).toBe(0);
    throttle.succeed(keys);
  });
});
