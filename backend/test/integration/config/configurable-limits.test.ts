// Limites d'exploitation devenues des réglages déclarés : bornes refusées champ par champ, plafond de la plateforme
// qu'un tenant resserre sans jamais l'élargir, règles et actions par tenant, taille des charges des travaux, taille
// des corps de requête lue à la construction du serveur (effet au redémarrage).
import { defineEntity } from '@opsflux/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/http/app.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const note = defineEntity({ name: 'limit_note', fields: { title: { type: 'string', required: true } } });

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
/** réglages de plateforme posés par un test : remis à leur valeur par défaut après lui (base partagée du serveur) */
const platformKeys = new Set<string>();

beforeAll(async () => {
  server = await startServer({ entities: [note] });
  server.platform.jobs.register({ name: 'test.limited_job', manual: true, handler: async () => undefined });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
});
afterEach(async () => {
  for (const key of platformKeys) expect((await admin.delete(`/api/v1/settings/${key}?level=platform`)).statusCode).toBe(204);
  platformKeys.clear();
});
afterAll(async () => {
  await server?.close();
});

const setPlatform = (key: string, value: unknown) => {
  platformKeys.add(key);
  return admin.put(`/api/v1/settings/${key}`, { value, level: 'platform' });
};
const setTenant = (key: string, value: unknown) => admin.put(`/api/v1/settings/${key}`, { value, level: 'tenant' });
const rule = (name: string, actions: unknown[] = [{ type: 'setFields', values: { title: 'x' } }]) =>
  admin.post('/api/v1/data/hook_rule', { name, entity: 'limit_note', events: ['updated'], actions });

describe('configurable limits', () => {
  it('declares each limit with its level, bounds and today’s default', async () => {
    const expected: Array<[string, string, number, number, number]> = [
      ['api.body.maxMegabytes', 'platform', 1, 100, 5],
      ['jobs.concurrency', 'platform', 1, 1000, 32],
      ['jobs.payload.maxKilobytes', 'platform', 16, 16_384, 256],
      ['modules.manifest.maxKilobytes', 'platform', 16, 4096, 256],
      ['modules.catalog.cacheSeconds', 'platform', 0, 86_400, 60],
      ['modules.catalog.timeoutSeconds', 'platform', 1, 300, 10],
      ['notifications.feed.catchUpSeconds', 'platform', 5, 3600, 30],
      ['notifications.feed.lookbackSeconds', 'platform', 1, 300, 10],
      ['automation.rules.maxPerTenant', 'tenant', 1, 10_000, 1000],
      ['automation.rules.maxActions', 'tenant', 1, 100, 10],
    ];
    for (const [key, scope, minimum, maximum, fallback] of expected) {
      const res = await admin.get(`/api/v1/settings/${key}`);
      expect(res.statusCode, key).toBe(200);
      expect(res.json(), key).toMatchObject({ scope, schema: { type: 'integer', minimum, maximum }, default: fallback, value: fallback, source: 'default' });
      expect(res.json().label.fr, key).toBeTruthy();
    }
  });

  it('refuses a value out of its bounds, field by field', async () => {
    for (const [key, value] of [['automation.rules.maxPerTenant', 0], ['jobs.payload.maxKilobytes', 15], ['api.body.maxMegabytes', 101]] as const) {
      const res = key === 'automation.rules.maxPerTenant' ? await setTenant(key, value) : await setPlatform(key, value);
      expect(res.statusCode, key).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json(), key).toMatchObject({ code: 'validation_failed', errors: [{ field: 'value' }] });
    }
    expect((await setTenant('automation.rules.maxActions', 'ten')).json().errors[0]).toMatchObject({ field: 'value' });
  });

  it('refuses one rule more than the tenant limit, counting deleted rules out and restored ones in', async () => {
    expect((await setTenant('automation.rules.maxPerTenant', 2)).statusCode).toBe(200);
    const first = await rule('first');
    expect(first.statusCode, first.body).toBe(201);
    expect((await rule('second')).statusCode).toBe(201);
    const third = await rule('third');
    expect(third.statusCode).toBe(400);
    expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(third.json()).toMatchObject({ code: 'validation_failed', errors: [{ code: 'too_many_rules' }] });
    expect(third.json().errors[0].message).toMatch(/2 .*automation\.rules\.maxPerTenant/);
    const french = await admin.post('/api/v1/data/hook_rule', { name: 'troisième', entity: 'limit_note', events: ['updated'], actions: [{ type: 'setFields', values: { title: 'x' } }] }, { 'accept-language': 'fr' });
    expect(french.json().errors[0].message).toMatch(/Au plus 2 règles/);

    // une règle supprimée libère sa place ; la restaurer au-delà de la limite est refusé
    expect((await admin.delete(`/api/v1/data/hook_rule/${first.json().id}`)).statusCode).toBe(204);
    expect((await rule('third')).statusCode).toBe(201);
    const restored = await admin.post(`/api/v1/data/hook_rule/${first.json().id}/restore`);
    expect(restored.statusCode).toBe(400);
    expect(restored.json().errors[0]).toMatchObject({ code: 'too_many_rules' });
    // relevée, la limite laisse passer
    expect((await setTenant('automation.rules.maxPerTenant', 3)).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/data/hook_rule/${first.json().id}/restore`)).statusCode).toBe(200);
  });

  it('lets a tenant lower a capped limit but never raise it above the platform value', async () => {
    expect((await setTenant('automation.rules.maxActions', 1)).statusCode).toBe(200);
    const two = await rule('two actions', [{ type: 'setFields', values: { title: 'x' } }, { type: 'setFields', values: { title: 'y' } }]);
    expect(two.statusCode).toBe(400);
    expect(two.json().errors[0]).toMatchObject({ field: 'actions' });
    expect(two.json().errors[0].message).toMatch(/1 to 1 actions/);

    expect((await setPlatform('automation.rules.maxActions', 5)).statusCode).toBe(200);
    const above = await setTenant('automation.rules.maxActions', 6);
    expect(above.statusCode).toBe(400);
    expect(above.json().errors[0]).toMatchObject({ field: 'value', code: 'above_platform_limit' });
    expect((await setTenant('automation.rules.maxActions', 4)).json()).toMatchObject({ value: 4, source: 'tenant' });
    // la plateforme abaissée sous la valeur du tenant : c'est elle qui s'applique
    expect((await setPlatform('automation.rules.maxActions', 3)).statusCode).toBe(200);
    expect((await admin.get('/api/v1/settings/automation.rules.maxActions')).json()).toMatchObject({ value: 3, source: 'platform', values: { platform: 3, tenant: 4 } });
    const four = await rule('four actions', Array.from({ length: 4 }, (_, i) => ({ type: 'setFields', values: { title: `v${i}` } })));
    expect(four.json().errors[0].message).toMatch(/1 to 3 actions/);
    expect((await admin.delete('/api/v1/settings/automation.rules.maxActions?level=tenant')).statusCode).toBe(204);
  });

  it('refuses a job payload larger than the platform limit, started by hand, scheduled or run again', async () => {
    const payload = { blob: 'x'.repeat(20 * 1024) };
    // accepté sous la limite par défaut (256 Ko), mis en attente puis annulé
    const waiting = await admin.post('/api/v1/jobs', { name: 'test.limited_job', payload, runAt: '2099-01-01T00:00:00Z' });
    expect(waiting.statusCode, waiting.body).toBe(201);
    expect((await admin.post(`/api/v1/jobs/${waiting.json().id}/cancel`)).statusCode).toBe(204);

    expect((await setPlatform('jobs.payload.maxKilobytes', 16)).statusCode).toBe(200);
    const refused = await admin.post('/api/v1/jobs', { name: 'test.limited_job', payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'payload', code: 'too_large' })]);
    expect(refused.json().errors[0].message).toMatch(/16384 bytes.*jobs\.payload\.maxKilobytes/);
    expect((await admin.post('/api/v1/jobs', { name: 'test.limited_job', payload: { blob: 'small' } })).statusCode).toBe(201);
    const schedule = await admin.post('/api/v1/job-schedules', { key: 'too-big', job: 'test.limited_job', cron: '0 3 * * *', payload });
    expect(schedule.statusCode).toBe(400);
    expect(schedule.json().errors[0]).toMatchObject({ field: 'payload', code: 'too_large' });
    const again = await admin.post(`/api/v1/jobs/${waiting.json().id}/retry`);
    expect(again.statusCode).toBe(400);
    expect(again.json().errors[0]).toMatchObject({ field: 'payload', code: 'too_large' });
  });

  it('reads the body limit when the server is built: a change takes effect at the next start', async () => {
    const body = { value: 'x'.repeat(1536 * 1024) };
    expect((await setPlatform('api.body.maxMegabytes', 1)).statusCode).toBe(200);
    let restarted: FastifyInstance | undefined;
    try {
      restarted = await buildApp(server.platform);
      const big = await restarted.inject({ method: 'PUT', url: '/api/v1/settings/api.docs.public', headers: { authorization: `Bearer ${tenant.token}` }, payload: body });
      expect(big.statusCode).toBe(413);
      expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
      // le serveur déjà construit garde sa limite (5 Mo) : le corps est lu, puis refusé par le schéma du réglage
      const running = await admin.put('/api/v1/settings/api.docs.public', body);
      expect(running.statusCode).toBe(400);
      expect(running.json().errors[0]).toMatchObject({ field: 'value' });
    } finally {
      await restarted?.close();
    }
  });
});
