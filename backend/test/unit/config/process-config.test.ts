// Configuration du processus : valeurs par défaut, port et concurrence des travaux validés.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.js';

describe('process configuration', () => {
  it('has defaults and reads the job concurrency of the node', () => {
    // sans la variable : le réglage de plateforme jobs.concurrency décide
    expect(readConfig({})).toMatchObject({ host: '127.0.0.1', port: 3000, jobConcurrency: undefined, demo: true });
    expect(readConfig({ OPSFLUX_JOB_CONCURRENCY: '8', OPSFLUX_DEMO: '0' })).toMatchObject({ jobConcurrency: 8, demo: false });
  });

  it('refuses values that are not what they should be, with the variable name', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ OPSFLUX_JOB_CONCURRENCY: '0' })).toThrow(/OPSFLUX_JOB_CONCURRENCY/);
    expect(() => readConfig({ OPSFLUX_JOB_CONCURRENCY: '2.5' })).toThrow(/OPSFLUX_JOB_CONCURRENCY/);
  });
});
