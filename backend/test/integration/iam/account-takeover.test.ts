// Prise de contrôle d'un compte par un administrateur de tenant : personne ne change les identifiants de connexion
// (adresse, mot de passe, second facteur) d'un compte qui a plus de droits que lui — par l'API, les lots, l'import,
// une clé d'API ou une règle d'automatisation ; le statut de super-administrateur ne vient d'aucune donnée qu'il
// écrit ; une adresse changée ne reçoit de lien de réinitialisation qu'une fois vérifiée, et l'ancienne est prévenue.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../src/db/transaction.js';
import { memberKit } from '../../support/members.js';
import { multipart } from '../../support/multipart.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';

let smtp: SmtpPeer;
let server: TestServer;
let tenant: TestTenant;
let root: Client;
let kit: ReturnType<typeof memberKit>;
let adminRole: string;
let boss: { id: string; api: Client; token: string };

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ mailer: smtp.mailer, publicUrl: 'https://erp.example.test' });
  // le premier compte du tenant est super-administrateur de la plateforme
  tenant = await newTenant(server, { superAdmin: true });
  root = client(server, tenant.token);
  kit = memberKit(server, tenant, root);
  adminRole = await kit.role('tenant-administrators', [], { admin: true });
  boss = await kit.member('boss', [adminRole]);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const emailOf = async (id: string) => (await root.get(`/api/v1/data/user/${id}`)).json().email as string;
const post = (url: string, payload: object, ip: string) => server.app.inject({ method: 'POST', url, payload, headers: { 'x-forwarded-for': ip } });

describe('credentials of a user with more rights', () => {
  it('a tenant administrator cannot change the address of a super-administrator by REST, bulk, import or API key', async () => {
    const patched = await boss.api.patch(`/api/v1/data/user/${tenant.userId}`, { email: 'evil@attacker.test' });
    expect(patched.statusCode, patched.body).toBe(403);
    expect(patched.json()).toMatchObject({ code: 'credentials_above_rights', errors: [{ field: 'email', code: 'credentials_above_rights' }] });
    expect((await boss.api.patch(`/api/v1/data/user/${tenant.userId}`, { passwordHash: 'x' })).statusCode).toBe(400);

    const bulk = await boss.api.post('/api/v1/data/user/bulk', { operations: [{ op: 'update', id: tenant.userId, data: { email: 'evil@attacker.test' } }] });
    expect(bulk.statusCode).toBe(403);
    const eid = (await root.get(`/api/v1/data/user/${tenant.userId}`)).json().eid as string;
    const upsert = await boss.api.post('/api/v1/data/user/bulk', { operations: [{ op: 'upsert', eid, data: { email: 'evil@attacker.test' } }] });
    expect(upsert.statusCode).toBe(403);

    const { payload, contentType } = multipart(Buffer.from(JSON.stringify([{ eid, email: 'evil@attacker.test' }])), 'users.json');
    const imported = await server.app.inject({
      method: 'POST', url: '/api/v1/data/user/import?wait=true', payload, headers: { 'content-type': contentType, authorization: `Bearer ${boss.token}` },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().counts.updated).toBe(0);
    const issues = (await boss.api.get(`/api/v1/imports/${imported.json().id}/errors`)).json().data as Array<{ code: string }>;
    expect(issues.map((i) => i.code)).toContain('credentials_above_rights');

    const key = await boss.api.post('/api/v1/api-keys', { name: 'integration', roleId: adminRole });
    expect(key.statusCode, key.body).toBe(201);
    const byKey = await client(server, key.json().key).patch(`/api/v1/data/user/${tenant.userId}`, { email: 'evil@attacker.test' });
    expect(byKey.statusCode).toBe(403);
    expect(await emailOf(tenant.userId)).toBe(tenant.email);
  });

  it('compares rights: an administrator edits anyone below, a user manager only users with no more permissions', async () => {
    const clerk = await kit.member('clerk');
    const managers = await kit.role('user-managers', ['user:read', 'user:update']);
    const manager = await kit.member('manager', [managers]);
    expect((await boss.api.patch(`/api/v1/data/user/${clerk.id}`, { email: 'clerk.by.boss@x.test' })).statusCode).toBe(200);
    expect((await manager.api.patch(`/api/v1/data/user/${clerk.id}`, { email: 'clerk.by.manager@x.test' })).statusCode).toBe(200);
    const refused = await manager.api.patch(`/api/v1/data/user/${boss.id}`, { email: 'boss.by.manager@x.test' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('credentials_above_rights');
    // d'autres champs du même compte restent modifiables
    expect((await manager.api.patch(`/api/v1/data/user/${boss.id}`, { displayName: 'The boss' })).statusCode).toBe(200);
    expect(await emailOf(boss.id)).toBe(`boss@${tenant.slug}.test`);
  });

  it('sign-in fields change only when the writer asks, never through an automation rule or another hook', async () => {
    const target = await kit.member('rule-target');
    const rule = await boss.api.post('/api/v1/data/hook_rule', {
      name: 'steal', entity: 'user', events: ['updated'], condition: { email: { in: [`rule-target@${tenant.slug}.test`, tenant.email] } },
      actions: [{ type: 'setFields', values: { email: 'evil@attacker.test' } }],
    });
    if (rule.statusCode === 201) {
      const write = await boss.api.patch(`/api/v1/data/user/${target.id}`, { displayName: 'Renamed' });
      expect(write.statusCode).toBe(403);
      expect((await root.delete(`/api/v1/data/hook_rule/${rule.json().id}`)).statusCode).toBe(204);
    } else {
      // refusée dès l'écriture de la règle : l'adresse n'est pas un champ que les règles écrivent
      expect(rule.statusCode, rule.body).toBe(400);
    }
    // un crochet qui ajoute une adresse à l'écriture d'un autre champ, même d'une écriture du code de confiance
    // (le super-administrateur change sa langue par /auth/me) : refusé
    const off = server.platform.hooks.on('beforeUpdate', 'user', ({ data }) => {
      if (data && 'locale' in data) data.email = 'evil@attacker.test';
    });
    try {
      const own = await root.patch('/api/v1/auth/me', { locale: 'en' });
      expect(own.statusCode).toBe(403);
      expect(own.json()).toMatchObject({ code: 'credentials_by_automation', errors: [{ field: 'email', code: 'credentials_by_automation' }] });
    } finally {
      off();
    }
    expect(await emailOf(target.id)).toBe(`rule-target@${tenant.slug}.test`);
    expect(await emailOf(tenant.userId)).toBe(tenant.email);
  });
});

describe('super-administrator rights', () => {
  it('come from no data a tenant administrator can write', async () => {
    expect((await boss.api.patch(`/api/v1/data/user/${boss.id}`, { superAdmin: true })).statusCode).toBe(400);
    expect((await boss.api.post('/api/v1/data/user', { email: 'sneaky@x.test', displayName: 'Sneaky', superAdmin: true })).statusCode).toBe(400);
    // le rôle applicatif (celui de toute requête) n'a ni colonne à poser ni table où écrire
    const scope = { tenantId: tenant.tenantId, userId: boss.id };
    await expect(inTenant(server.platform.db, scope, (trx) => sql`UPDATE app_user SET super_admin = true WHERE id = ${boss.id}`.execute(trx))).rejects.toThrow();
    await expect(inTenant(server.platform.db, scope, (trx) => sql`INSERT INTO platform_admin (tenant_id, user_id) VALUES (${tenant.tenantId}, ${boss.id})`.execute(trx)))
      .rejects.toThrow(/permission denied/);
    const readable = await inTenant(server.platform.db, scope, (trx) => sql<{ user_id: string }>`SELECT user_id FROM platform_admin`.execute(trx));
    expect(readable.rows.map((r) => r.user_id)).toEqual([tenant.userId]);
    const other = await newTenant(server, { superAdmin: false });
    const foreign = await inTenant(server.platform.db, { tenantId: other.tenantId }, (trx) => sql<{ user_id: string }>`SELECT user_id FROM platform_admin`.execute(trx));
    expect(foreign.rows).toEqual([]);
    expect((await boss.api.get('/api/v1/auth/me')).json()).toMatchObject({ admin: true, superAdmin: false });
    expect((await root.get('/api/v1/auth/me')).json().superAdmin).toBe(true);
  });
});

describe('address changes and password reset', () => {
  it('sends no reset link to an address an administrator set until its owner verifies it, and tells the old address', async () => {
    const victim = await kit.member('victim');
    const oldAddress = `victim@${tenant.slug}.test`;
    const changed = await boss.api.patch(`/api/v1/data/user/${victim.id}`, { email: 'victim.new@x.test' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().emailVerifiedAt).toBeNull();
    // l'ancienne adresse est prévenue (file des courriels)
    await expect.poll(() => smtp.inbox.some((m) => m.to.includes(oldAddress)), { timeout: 20_000, interval: 100 }).toBe(true);
    const notices = (await root.get(`/api/v1/email/messages?to=${encodeURIComponent(oldAddress)}`)).json().data as Array<{ template: string }>;
    expect(notices.map((n) => n.template)).toEqual(['account.emailChanged']);

    const before = smtp.inbox.length;
    expect((await post('/api/v1/auth/password/forgot', { email: 'victim.new@x.test', tenant: tenant.slug }, '10.21.0.1')).statusCode).toBe(202);
    expect(smtp.inbox.length).toBe(before);
    expect(smtp.lastToken('victim.new@x.test')).toBeUndefined();

    // un lien de vérification envoyé avant un nouveau changement ne vérifie pas la nouvelle adresse
    expect((await victim.api.post('/api/v1/auth/email/verification', {})).statusCode).toBe(202);
    const early = smtp.lastToken('victim.new@x.test')!;
    expect(early).toBeTruthy();
    expect((await boss.api.patch(`/api/v1/data/user/${victim.id}`, { email: 'victim.third@x.test' })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/email/verify', { token: early }, '10.21.0.2')).statusCode).toBe(400);
    expect((await root.get(`/api/v1/data/user/${victim.id}`)).json().emailVerifiedAt).toBeNull();

    // vérifiée par son titulaire connecté, l'adresse reçoit le lien de réinitialisation
    expect((await victim.api.post('/api/v1/auth/email/verification', {})).statusCode).toBe(202);
    expect((await post('/api/v1/auth/email/verify', { token: smtp.lastToken('victim.third@x.test')! }, '10.21.0.3')).statusCode).toBe(204);
    expect((await post('/api/v1/auth/password/forgot', { email: 'victim.third@x.test', tenant: tenant.slug }, '10.21.0.4')).statusCode).toBe(202);
    const reset = smtp.lastToken('victim.third@x.test')!;
    expect((await post('/api/v1/auth/password/reset', { token: reset, password: 'a brand new password' }, '10.21.0.5')).statusCode).toBe(204);
  });

  it('still sends the first reset link to the address an account was created with', async () => {
    await kit.member('fresh');
    expect((await post('/api/v1/auth/password/forgot', { email: `fresh@${tenant.slug}.test`, tenant: tenant.slug }, '10.22.0.1')).statusCode).toBe(202);
    expect(smtp.lastToken(`fresh@${tenant.slug}.test`)).toBeTruthy();
  });
});
