// Administration des accès : permissions générées, gardes contre l'élévation de privilèges, variables des règles,
// effet immédiat des changements, profil `me`, préférences, OpenAPI propre à l'appelant.
import { defineEntity } from '@opsflux/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

const scopedNote = defineEntity({ name: 'scoped_note', scope: 'company', fields: { text: { type: 'string', required: true } } });

let server: TestServer;
let tenant: TestTenant;
let admin: Client;

let member: ReturnType<typeof memberKit>['member'];
let role: ReturnType<typeof memberKit>['role'];

beforeAll(async () => {
  server = await startServer({ entities: [scopedNote] });
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  ({ member, role } = memberKit(server, tenant, admin));
  const fields = { title: { type: 'string', required: true }, company: { type: 'ref', options: { to: 'company' } }, cost: { type: 'integer' } };
  expect((await admin.post('/api/v1/meta/entities', { name: 'ticket', fields })).statusCode).toBe(201);
});
afterAll(async () => server?.close());

describe('permissions', () => {
  it('generates entity:action permissions for core and custom entities, and refuses to write them', async () => {
    const list = (await admin.get(`/api/v1/data/permission?${qs({ filter: { entity: { in: ['ticket', 'user'] } }, limit: 100 })}`)).json().data;
    const codes = list.map((p: { code: string }) => p.code).sort();
    for (const action of ['read', 'create', 'update', 'delete', 'export', 'import', 'admin']) {
      expect(codes).toContain(`ticket:${action}`);
      expect(codes).toContain(`user:${action}`);
    }
    expect((await admin.post('/api/v1/data/permission', { code: 'x:read', entity: 'x', action: 'read' })).statusCode).toBe(403);
    expect((await admin.delete(`/api/v1/data/permission/${list[0].id}`)).statusCode).toBe(403);
  });

  it('takes a role change into account at once, and a deactivated user loses access at once', async () => {
    const readTickets = await role('ticket-reader', ['ticket:read']);
    const user = await member('changing');
    expect((await user.api.get('/api/v1/data/ticket')).statusCode).toBe(403);
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { roles: [readTickets] })).statusCode).toBe(200);
    expect((await user.api.get('/api/v1/data/ticket')).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/data/role/${readTickets}`, { permissions: [] })).statusCode).toBe(200);
    expect((await user.api.get('/api/v1/data/ticket')).statusCode).toBe(403);
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { active: false })).statusCode).toBe(200);
    expect((await user.api.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('restricts records with $user.companyIds', async () => {
    const [a, b] = await Promise.all(['North', 'South'].map(async (name) => (await admin.post('/api/v1/data/company', { name })).json().id as string));
    const byCompany = await role('company-scoped', ['ticket:read']);
    const rule = await admin.post('/api/v1/data/record_rule', { role: byCompany, entity: 'ticket', filter: { company: { in: '$user.companyIds' } } });
    expect(rule.statusCode, rule.body).toBe(201);
    const user = await member('scoped', [byCompany]);
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { companies: [a] })).statusCode).toBe(200);
    const north = (await admin.post('/api/v1/data/ticket', { title: 'north', company: a })).json();
    const south = (await admin.post('/api/v1/data/ticket', { title: 'south', company: b })).json();
    const seen = (await user.api.get('/api/v1/data/ticket?limit=1000')).json().data.map((t: { id: string }) => t.id);
    expect(seen).toContain(north.id);
    expect(seen).not.toContain(south.id);
    expect((await user.api.get(`/api/v1/data/ticket/${south.id}`)).statusCode).toBe(404);
    const me = (await user.api.get('/api/v1/auth/me')).json();
    expect(me).toMatchObject({ roles: ['company-scoped'], permissions: ['ticket:read'], companies: [{ id: a, name: 'North' }], admin: false });
  });

  it('refuses invalid rules with field-level messages', async () => {
    const r = await role('rules-target', ['ticket:read']);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: r, entity: 'nope', filter: { title: 'x' } }, 'entity'],
      [{ role: r, entity: 'ticket', filter: { nope: 'x' } }, 'filter.nope'],
      [{ role: r, entity: 'ticket', filter: { title: '$user.password' } }, 'filter'],
      [{ role: r, entity: 'ticket', actions: ['fly'], filter: { title: 'x' } }, 'actions'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/api/v1/data/record_rule', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
    const badField = await admin.post('/api/v1/data/field_rule', { role: r, entity: 'ticket', field: 'passwordHash', access: 'hidden' });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().errors[0]).toMatchObject({ field: 'field', code: 'unknown_field' });
  });

  it('hides a hidden field from reads, filters and the caller’s OpenAPI document', async () => {
    const r = await role('no-cost', ['ticket:read']);
    expect((await admin.post('/api/v1/data/field_rule', { role: r, entity: 'ticket', field: 'cost', access: 'hidden' })).statusCode).toBe(201);
    const user = await member('costless', [r]);
    const created = (await admin.post('/api/v1/data/ticket', { title: 'priced', cost: 42 })).json();
    const got = (await user.api.get(`/api/v1/data/ticket/${created.id}`)).json();
    expect(got.title).toBe('priced');
    expect(got).not.toHaveProperty('cost');
    expect((await user.api.get(`/api/v1/data/ticket?${qs({ filter: { cost: { gt: 1 } } })}`)).statusCode).toBe(400);
    const doc = (await user.api.get('/api/openapi.json')).json();
    const schemas = JSON.stringify(doc.components.schemas);
    expect(schemas).toContain('"title"');
    expect(Object.keys(Object.values(doc.components.schemas as Record<string, { properties?: object }>)
      .find((s) => s.properties && 'title' in s.properties && 'company' in s.properties)!.properties!)).not.toContain('cost');
    expect(JSON.stringify((await admin.get('/api/openapi.json')).json().components.schemas)).toContain('"cost"');
  });
});

describe('multi-company', () => {
  it('stamps the current company, refuses a company that is not the user\'s, and hides other companies\' records', async () => {
    const [a, b] = await Promise.all(['Alpha SA', 'Beta Inc'].map(async (name) => (await admin.post('/api/v1/data/company', { name })).json().id as string));
    const writer = await role('note-writer', ['scoped_note:read', 'scoped_note:create', 'scoped_note:update']);
    const user = await member('multi', [writer]);
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { companies: [a], currentCompany: a })).statusCode).toBe(200);
    const mine = await user.api.post('/api/v1/data/scoped_note', { text: 'for Alpha' });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().companyId).toBe(a);
    const refused = await user.api.post('/api/v1/data/scoped_note', { text: 'for Beta', companyId: b }, { 'accept-language': 'fr' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'company_not_allowed', errors: [{ field: 'companyId', message: 'Cette société ne fait pas partie des vôtres.' }] });
    const theirs = await admin.post('/api/v1/data/scoped_note', { text: 'Beta only', companyId: b });
    await admin.post('/api/v1/data/scoped_note', { text: 'shared' });
    const seen = (await user.api.get('/api/v1/data/scoped_note?sort=text')).json().data.map((n: { text: string }) => n.text);
    expect(seen).toEqual(['for Alpha', 'shared']);
    expect((await user.api.get(`/api/v1/data/scoped_note/${theirs.json().id}`)).statusCode).toBe(404);
    expect((await user.api.patch(`/api/v1/data/scoped_note/${mine.json().id}`, { companyId: b })).statusCode).toBe(403);
    expect((await admin.get('/api/v1/data/scoped_note')).json().data).toHaveLength(3);
    expect((await admin.post('/api/v1/data/scoped_note', { text: 'x', companyId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
  });
});

describe('privilege guards', () => {
  it('lets nobody but a super-administrator change their own roles', async () => {
    const managers = await role('user-managers', ['user:read', 'user:update', 'user:admin']);
    const manager = await member('manager', [managers]);
    const adminRole = await role('tenant-admins', [], { admin: true });
    const self = await manager.api.patch(`/api/v1/data/user/${manager.id}`, { roles: [managers, adminRole] });
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toMatch(/own roles/);
    // sans le droit `user:admin`, pas d'attribution de rôles à autrui non plus
    const editors = await role('user-editors', ['user:read', 'user:update']);
    const editor = await member('editor', [editors]);
    const victim = await member('victim');
    expect((await editor.api.patch(`/api/v1/data/user/${victim.id}`, { roles: [adminRole] })).statusCode).toBe(403);
    expect((await editor.api.patch(`/api/v1/data/user/${victim.id}`, { displayName: 'Renamed' })).statusCode).toBe(200);
    // un gestionnaire sans rôle administrateur ne peut pas créer de rôle administrateur ni s'ajouter à un groupe puissant
    const roleAdmins = await role('role-admins', ['role:create', 'role:admin', 'group:create', 'group:read', 'group:update']);
    const builder = await member('builder', [roleAdmins]);
    expect((await builder.api.post('/api/v1/data/role', { name: 'sneaky', admin: true })).statusCode).toBe(403);
    expect((await builder.api.post('/api/v1/data/group', { name: 'sneaky-group', members: [builder.id], roles: [adminRole] })).statusCode).toBe(403);
    expect((await builder.api.get('/api/v1/auth/me')).json().admin).toBe(false);
  });

  it('never mass-assigns tenantId, createdBy, version or superAdmin', async () => {
    const r = await role('ticket-writer', ['ticket:read', 'ticket:create', 'ticket:update']);
    const user = await member('assigner', [r]);
    const other = await newTenant(server);
    // les champs système d'un enregistrement relu sont acceptés mais ignorés : jamais écrits
    const res = await user.api.post('/api/v1/data/ticket', { title: 't', tenantId: other.tenantId, createdBy: tenant.userId, version: 7 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ createdBy: user.id, version: 1 });
    expect((await user.api.get(`/api/v1/data/ticket/${res.json().id}`)).statusCode).toBe(200);
    expect((await client(server, other.token).get(`/api/v1/data/ticket/${res.json().id}`)).statusCode).toBe(404);
    const patched = await user.api.patch(`/api/v1/data/ticket/${res.json().id}`, { title: 'u', version: 99, createdBy: tenant.userId });
    expect(patched.json()).toMatchObject({ createdBy: user.id, version: 2 });
    const managers = await role('self-promoters', ['user:read', 'user:update']);
    const promoter = await member('promoter', [managers]);
    const promotion = await promoter.api.patch(`/api/v1/data/user/${promoter.id}`, { superAdmin: true });
    expect(promotion.statusCode).toBe(400);
    expect((await promoter.api.get('/api/v1/auth/me')).json().superAdmin).toBe(false);
  });

  it('lets a tenant administrator manage metadata but not another tenant', async () => {
    const admins = await role('admins-of-tenant', [], { admin: true });
    const boss = await member('boss', [admins]);
    expect((await boss.api.post('/api/v1/meta/entities', { name: 'asset', fields: { label: { type: 'string' } } })).statusCode).toBe(201);
    expect((await boss.api.get('/api/v1/auth/me')).json()).toMatchObject({ admin: true, permissions: ['*'] });
    const other = await newTenant(server);
    const foreign = (await client(server, other.token).post('/api/v1/data/company', { name: 'Elsewhere' })).json();
    expect((await boss.api.get(`/api/v1/data/company/${foreign.id}`)).statusCode).toBe(404);
    expect((await boss.api.patch(`/api/v1/data/company/${foreign.id}`, { name: 'Mine' })).statusCode).toBe(404);
  });
});

describe('preferences', () => {
  it('returns declared defaults, stores typed values per user, and refuses bad ones', async () => {
    const user = await member('prefs');
    const defaults = (await user.api.get('/api/v1/auth/me/preferences')).json();
    expect(defaults).toMatchObject({ theme: 'auto', pageSize: 50 });
    expect((await user.api.put('/api/v1/auth/me/preferences/theme', { value: 'dark' })).json().theme).toBe('dark');
    expect((await user.api.put('/api/v1/auth/me/preferences/pageSize', { value: 20 })).json().pageSize).toBe(20);
    expect((await user.api.put('/api/v1/auth/me/preferences/pageSize', { value: 5000 })).statusCode).toBe(400);
    expect((await user.api.put('/api/v1/auth/me/preferences/theme', { value: 'neon' })).statusCode).toBe(400);
    expect((await user.api.put('/api/v1/auth/me/preferences/unknown', { value: 1 })).statusCode).toBe(404);
    expect((await user.api.get('/api/v1/auth/me')).json().preferences).toMatchObject({ theme: 'dark', pageSize: 20 });
    // propres à chaque utilisateur
    expect((await admin.get('/api/v1/auth/me/preferences')).json().theme).toBe('auto');
  });

  it('lets a user choose their language and current company among their own, nothing else', async () => {
    const user = await member('profile');
    const [mine, other] = await Promise.all(['Mine Ltd', 'Other Ltd'].map(async (name) => (await admin.post('/api/v1/data/company', { name })).json().id as string));
    expect((await admin.patch(`/api/v1/data/user/${user.id}`, { companies: [mine] })).statusCode).toBe(200);
    expect((await user.api.patch('/api/v1/auth/me', { locale: 'en', currentCompany: mine })).statusCode).toBe(200);
    const me = (await user.api.get('/api/v1/auth/me')).json();
    expect(me.user.locale).toBe('en');
    // le profil d'accès suit aussitôt (société courante des nouveaux enregistrements)
    expect(me.currentCompanyId).toBe(mine);
    const refused = await user.api.patch('/api/v1/auth/me', { currentCompany: other });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'currentCompany', code: 'not_allowed' });
    expect((await user.api.patch('/api/v1/auth/me', { locale: 'de' })).statusCode).toBe(400);
    // rien d'autre ne s'écrit par ce chemin (rôles, statut de super-administrateur…)
    expect((await user.api.patch('/api/v1/auth/me', { superAdmin: true })).statusCode).toBe(400);
    expect((await user.api.patch('/api/v1/auth/me', {})).statusCode).toBe(400);
    expect((await user.api.get('/api/v1/auth/me')).json().superAdmin).toBe(false);
  });
});
