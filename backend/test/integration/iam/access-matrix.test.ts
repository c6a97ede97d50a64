// Matrice d'autorisation générée : rôles × entités × opérations × règles d'enregistrements × règles de champs × deux
// tenants. Chaque cas est comparé à un oracle écrit indépendamment du code : aucune fuite, aucun refus injustifié.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/iam/bootstrap.js';
import { client, newTenant, qs, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

type Entity = 'doc' | 'note';
type Action = 'read' | 'create' | 'update' | 'delete';
const ENTITIES: Entity[] = ['doc', 'note'];
const CRUD: Action[] = ['read', 'create', 'update', 'delete'];

interface RoleSpec {
  perms?: Partial<Record<Entity, Action[]>>;
  /** règle d'enregistrements : l'utilisateur ne voit que les siens */
  ownOnly?: Entity[];
  hidden?: Partial<Record<Entity, string[]>>;
  readonly?: Partial<Record<Entity, string[]>>;
  admin?: boolean;
}

const ROLES: Record<string, RoleSpec> = {
  none: {},
  reader: { perms: { doc: ['read'] } },
  writer: { perms: { doc: CRUD, note: CRUD } },
  owner: { perms: { doc: CRUD }, ownOnly: ['doc'] },
  hider: { perms: { doc: ['read', 'update'] }, hidden: { doc: ['secret'] } },
  freezer: { perms: { doc: ['read', 'update'] }, readonly: { doc: ['amount'] } },
  admin: { admin: true },
};

/** Utilisateurs : rôles directs, ou rôle hérité d'un groupe parent (`grouped`). */
const USERS: Record<string, string[]> = {
  none: ['none'], reader: ['reader'], writer: ['writer'], owner: ['owner'], hider: ['hider'], freezer: ['freezer'],
  admin: ['admin'], grouped: [], union: ['owner', 'reader'],
};
const VIA_GROUP: Record<string, string> = { grouped: 'reader' };

const OPERATIONS = ['list', 'getOwn', 'getOther', 'getForeign', 'create', 'updateOwn', 'updateOther', 'updateForeign',
  'deleteOwn', 'deleteOther', 'filterSecret', 'sortSecret', 'writeSecret', 'writeAmount'] as const;
type Operation = (typeof OPERATIONS)[number];

// --- oracle ---

function rolesOf(user: string): RoleSpec[] {
  return [...USERS[user]!, ...(VIA_GROUP[user] ? [VIA_GROUP[user]!] : [])].map((r) => ROLES[r]!);
}
const isAdmin = (user: string) => rolesOf(user).some((r) => r.admin);
const granting = (user: string, entity: Entity, action: Action) => rolesOf(user).filter((r) => r.perms?.[entity]?.includes(action));
const can = (user: string, entity: Entity, action: Action) => isAdmin(user) || granting(user, entity, action).length > 0;
/** Tous les enregistrements visibles pour l'action, ou seulement ceux de l'utilisateur. */
const unrestricted = (user: string, entity: Entity, action: Action) =>
  isAdmin(user) || granting(user, entity, action).some((r) => !r.ownOnly?.includes(entity));
const restricted = (user: string, entity: Entity, action: Action, field: string, key: 'hidden' | 'readonly') =>
  !isAdmin(user) && granting(user, entity, action).length > 0
  && granting(user, entity, action).every((r) => r[key]?.[entity]?.includes(field) || (key === 'readonly' && r.hidden?.[entity]?.includes(field)));
const hidden = (user: string, entity: Entity) => restricted(user, entity, 'read', 'secret', 'hidden');

function expected(user: string, entity: Entity, op: Operation): number {
  const read = can(user, entity, 'read');
  const update = can(user, entity, 'update');
  const del = can(user, entity, 'delete');
  switch (op) {
    case 'list': return read ? 200 : 403;
    case 'getOwn': return read ? 200 : 403;
    case 'getOther': return !read ? 403 : unrestricted(user, entity, 'read') ? 200 : 404;
    case 'getForeign': return read ? 404 : 403;
    case 'create': return can(user, entity, 'create') ? 201 : 403;
    case 'updateOwn': return update ? 200 : 403;
    case 'updateOther': return !update ? 403 : unrestricted(user, entity, 'update') ? 200 : 404;
    case 'updateForeign': return update ? 404 : 403;
    case 'deleteOwn': return del ? 204 : 403;
    case 'deleteOther': return !del ? 403 : unrestricted(user, entity, 'delete') ? 204 : 404;
    case 'filterSecret': case 'sortSecret': return !read ? 403 : hidden(user, entity) ? 400 : 200;
    case 'writeSecret': return !update ? 403 : restricted(user, entity, 'update', 'secret', 'readonly') ? 400 : 200;
    case 'writeAmount': return !update ? 403 : restricted(user, entity, 'update', 'amount', 'readonly') ? 400 : 200;
  }
}

// --- mise en place ---

interface Seeded extends TestTenant {
  admin: Client;
  users: Record<string, { id: string; api: Client }>;
  /** enregistrement de chaque utilisateur, par entité (lecture, mise à jour) */
  own: Record<Entity, Record<string, string>>;
  /** enregistrements à supprimer : par entité, utilisateur, « own » / « other » */
  disposable: Record<Entity, Record<string, { own: string; other: string }>>;
}

let server: TestServer;
const tenants: Seeded[] = [];

async function ok(res: Awaited<ReturnType<Client['post']>>, status = 201) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

async function seed(): Promise<Seeded> {
  const tenant = await newTenant(server);
  const admin = client(server, tenant.token);
  const fields = { title: { type: 'string', required: true }, secret: { type: 'string' }, amount: { type: 'integer' }, owner: { type: 'ref', options: { to: 'user' } } };
  for (const name of ENTITIES) await ok(await admin.post('/api/v1/meta/entities', { name, fields }));
  const codes = ENTITIES.flatMap((e) => CRUD.map((a) => `${e}:${a}`));
  const permissions = (await admin.get(`/api/v1/data/permission?${qs({ filter: { code: { in: codes } }, limit: 100 })}`)).json().data as Array<{ id: string; code: string }>;
  const permissionId = new Map(permissions.map((p) => [p.code, p.id]));
  expect(permissionId.size).toBe(codes.length);

  const roleIds: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ROLES)) {
    const perms = Object.entries(spec.perms ?? {}).flatMap(([e, actions]) => actions!.map((a) => permissionId.get(`${e}:${a}`)!));
    roleIds[name] = (await ok(await admin.post('/api/v1/data/role', { name, admin: spec.admin ?? false, permissions: perms }))).id;
    for (const entity of spec.ownOnly ?? []) {
      await ok(await admin.post('/api/v1/data/record_rule', { role: roleIds[name], entity, filter: { owner: { eq: '$user.id' } } }));
    }
    for (const [key, access] of [['hidden', 'hidden'], ['readonly', 'readonly']] as const) {
      for (const [entity, list] of Object.entries(spec[key] ?? {})) {
        for (const field of list!) await ok(await admin.post('/api/v1/data/field_rule', { role: roleIds[name], entity, field, access }));
      }
    }
  }
  // groupe parent qui porte le rôle `reader`, groupe enfant dont les membres en héritent
  const parent = (await ok(await admin.post('/api/v1/data/group', { name: 'readers', roles: [roleIds.reader] }))).id;

  const users: Seeded['users'] = {};
  const members: string[] = [];
  for (const [name, roles] of Object.entries(USERS)) {
    const email = `u-${name}@${tenant.slug}.test`;
    const { id } = await createUser(server.platform, { email, password: 'long enough password', tenant: tenant.slug, superAdmin: false });
    await ok(await admin.patch(`/api/v1/data/user/${id}`, { roles: roles.map((r) => roleIds[r]) }), 200);
    if (VIA_GROUP[name]) members.push(id);
    users[name] = { id, api: undefined as unknown as Client };
  }
  await ok(await admin.post('/api/v1/data/group', { name: 'readers-team', parent, members }));
  for (const name of Object.keys(USERS)) {
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `u-${name}@${tenant.slug}.test`, password: 'long enough password', tenant: tenant.slug } });
    expect(login.statusCode, login.body).toBe(200);
    users[name]!.api = client(server, login.json().accessToken);
  }

  const own = { doc: {}, note: {} } as Seeded['own'];
  const disposable = { doc: {}, note: {} } as Seeded['disposable'];
  for (const entity of ENTITIES) {
    const names = Object.keys(USERS);
    const operations = names.flatMap((name, i) => {
      const other = users[names[(i + 1) % names.length]!]!.id;
      const me = users[name]!.id;
      return [me, me, other].map((owner, k) => ({ op: 'create', data: { title: `${name}-${k}`, secret: 's', amount: 1, owner } }));
    });
    const results = (await ok(await admin.post(`/api/v1/data/${entity}/bulk`, { operations }), 200)).results as Array<{ id: string }>;
    names.forEach((name, i) => {
      own[entity][name] = results[i * 3]!.id;
      disposable[entity][name] = { own: results[i * 3 + 1]!.id, other: results[i * 3 + 2]!.id };
    });
  }
  return { ...tenant, admin, users, own, disposable };
}

/** Exécute une opération ; renvoie le statut et, pour les lectures réussies, les enregistrements reçus. */
async function perform(t: Seeded, foreign: Seeded, user: string, entity: Entity, op: Operation) {
  const api = t.users[user]!.api;
  const names = Object.keys(USERS);
  const other = names[(names.indexOf(user) + 2) % names.length]!;
  const base = `/api/v1/data/${entity}`;
  switch (op) {
    case 'list': return api.get(`${base}?limit=1000`);
    case 'getOwn': return api.get(`${base}/${t.own[entity][user]}`);
    case 'getOther': return api.get(`${base}/${t.own[entity][other]}`);
    case 'getForeign': return api.get(`${base}/${foreign.own[entity][user]}`);
    case 'create': return api.post(base, { title: 'new', owner: t.users[user]!.id });
    case 'updateOwn': return api.patch(`${base}/${t.own[entity][user]}`, { title: `${user}-0` });
    case 'updateOther': return api.patch(`${base}/${t.own[entity][other]}`, { title: `${other}-0` });
    case 'updateForeign': return api.patch(`${base}/${foreign.own[entity][user]}`, { title: 'hijacked' });
    case 'deleteOwn': return api.delete(`${base}/${t.disposable[entity][user]!.own}`);
    case 'deleteOther': return api.delete(`${base}/${t.disposable[entity][user]!.other}`);
    case 'filterSecret': return api.get(`${base}?${qs({ filter: { secret: 's' } })}`);
    case 'sortSecret': return api.get(`${base}?sort=secret`);
    case 'writeSecret': return api.patch(`${base}/${t.own[entity][user]}`, { secret: 's' });
    case 'writeAmount': return api.patch(`${base}/${t.own[entity][user]}`, { amount: 1 });
  }
}

beforeAll(async () => {
  server = await startServer();
  tenants.push(await seed(), await seed());
}, 240_000);
afterAll(async () => server?.close());

describe('authorisation matrix', () => {
  it('answers every generated case as the oracle says, without leaking records or hidden fields', async () => {
    let cases = 0;
    const failures: string[] = [];
    for (const [index, t] of tenants.entries()) {
      const foreign = tenants[1 - index]!;
      const foreignIds = new Set(ENTITIES.flatMap((e) => [...Object.values(foreign.own[e]), ...Object.values(foreign.disposable[e]).flatMap((d) => [d.own, d.other])]));
      for (const user of Object.keys(USERS)) {
        for (const entity of ENTITIES) {
          for (const op of OPERATIONS) {
            cases++;
            const res = await perform(t, foreign, user, entity, op);
            const want = expected(user, entity, op);
            const label = `${t.slug} ${user} ${entity} ${op}`;
            if (res.statusCode !== want) {
              failures.push(`${label}: ${res.statusCode} (expected ${want}) ${res.body.slice(0, 200)}`);
              continue;
            }
            if (res.statusCode !== 200 || !op.startsWith('list') && !op.startsWith('get')) continue;
            const body = res.json();
            const rows: Array<Record<string, unknown>> = op === 'list' ? body.data : [body];
            // jamais un enregistrement d'un autre tenant, jamais un champ masqué
            if (rows.some((r) => foreignIds.has(r.id as string))) failures.push(`${label}: leaked a record of another tenant`);
            if (hidden(user, entity) && rows.some((r) => 'secret' in r)) failures.push(`${label}: leaked a hidden field`);
            if (!hidden(user, entity) && rows.some((r) => !('secret' in r))) failures.push(`${label}: lost a visible field`);
            if (op === 'list' && !unrestricted(user, entity, 'read')) {
              const mine = t.users[user]!.id;
              if (rows.some((r) => r.owner !== mine)) failures.push(`${label}: listed a record outside the record rule`);
              if (!rows.some((r) => r.id === t.own[entity][user])) failures.push(`${label}: missed its own record`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(500);
  }, 240_000);
});
