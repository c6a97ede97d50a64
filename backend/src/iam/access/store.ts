// Chargement et cache des profils d'accès : une instruction par profil, gardé jusqu'à ce qu'une écriture sur les
// utilisateurs, groupes, rôles ou règles du tenant l'invalide (sur ce nœud tout de suite, sur les autres par NOTIFY).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant, type Tx } from '../../db/transaction.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { linkTable } from '../../engine/naming.js';
import { isSuperAdminSql } from '../super-admins.js';
import { buildProfile, type AccessProfile, type FieldRuleRow, type RecordRuleRow, type RoleRow } from './profile.js';

export const ACCESS_CHANNEL = 'opsflux_access';
/** profils gardés par tenant au plus (au-delà, le cache du tenant repart de zéro) : borne mémoire, pas un réglage */
const MAX_PER_TENANT = 10_000;

interface ProfileRow {
  account: { super_admin: boolean; current_company: string | null; totp_enabled: boolean } | null;
  roles: RoleRow[];
  groups: string[];
  companies: string[];
  record_rules: RecordRuleRow[];
  field_rules: FieldRuleRow[];
}

/**
 * Sujet d'un profil : un utilisateur (ses rôles directs et par groupes, ses sociétés), ou une clé d'API — le seul rôle
 * de la clé, toutes les sociétés du tenant, au nom de l'utilisateur qui l'a créée (`userId`).
 */
export interface ProfileSubject {
  userId: string;
  keyRoleId?: string;
  /** droits du compte quel que soit son état (désactivé, verrouillé, tenant suspendu) : comparaison de droits */
  anyState?: boolean;
}

export class AccessProfiles {
  private readonly cache = new Map<string, Map<string, Promise<AccessProfile | null>>>();

  constructor(private readonly db: Db, private readonly catalogOf: (tenantId: string) => Promise<Catalog>) {}

  /** Profil de l'utilisateur ; null s'il n'existe plus, est inactif ou verrouillé, ou si son tenant est suspendu. */
  get(tenantId: string, userId: string): Promise<AccessProfile | null> {
    return this.cached(tenantId, userId, { userId });
  }

  /** Profil d'une clé d'API : les droits de son rôle (null si son tenant est suspendu). */
  forKey(tenantId: string, key: { id: string; roleId: string; userId: string }): Promise<AccessProfile | null> {
    return this.cached(tenantId, `key:${key.id}:${key.roleId}`, { userId: key.userId, keyRoleId: key.roleId });
  }

  private cached(tenantId: string, cacheKey: string, subject: ProfileSubject): Promise<AccessProfile | null> {
    let tenant = this.cache.get(tenantId);
    if (!tenant || tenant.size >= MAX_PER_TENANT) {
      tenant = new Map();
      this.cache.set(tenantId, tenant);
    }
    let profile = tenant.get(cacheKey);
    if (!profile) {
      profile = this.load(tenantId, subject);
      profile.catch(() => tenant.delete(cacheKey));
      tenant.set(cacheKey, profile);
    }
    return profile;
  }

  invalidate(tenantId?: string): void {
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }

  private async load(tenantId: string, subject: ProfileSubject): Promise<AccessProfile | null> {
    const catalog = await this.catalogOf(tenantId);
    return inTenant(this.db, { tenantId }, (trx) => loadProfile(trx, catalog, subject), { singleStatement: true });
  }
}

/** Profil lu dans la transaction donnée ; null si le compte n'existe pas (ou, hors `anyState`, n'est pas utilisable). */
export async function loadProfile(trx: Tx, catalog: Catalog, subject: ProfileSubject): Promise<AccessProfile | null> {
  const row = await profileQuery(trx, catalog, subject);
  if (!row.account) return null;
  return buildProfile({
    userId: subject.userId,
    superAdmin: row.account.super_admin,
    mfaEnrolled: row.account.totp_enabled,
    roles: row.roles,
    groupIds: row.groups,
    companyIds: row.companies,
    currentCompanyId: row.account.current_company,
    recordRules: row.record_rules,
    fieldRules: row.field_rules,
  });
}

/** Table, colonne et table de liaison d'un champ d'une entité du cœur. */
function parts(catalog: Catalog, entity: string) {
  const model = catalog.get(entity) as EntityModel;
  const column = (field: string) => sql.ref(model.byName.get(field)!.column);
  const link = (field: string) => sql.table(linkTable(model, model.byName.get(field)!));
  return { table: sql.table(model.table), column, link };
}

async function profileQuery(trx: Tx, catalog: Catalog, { userId, keyRoleId, anyState }: ProfileSubject): Promise<ProfileRow> {
  const user = parts(catalog, 'user');
  const group = parts(catalog, 'group');
  const role = parts(catalog, 'role');
  const permission = parts(catalog, 'permission');
  const recordRule = parts(catalog, 'record_rule');
  const fieldRule = parts(catalog, 'field_rule');
  const alive = (alias: string): RawBuilder<unknown> => sql`${sql.ref(`${alias}.deleted_at`)} IS NULL`;
  const tenantActive = sql`EXISTS (SELECT 1 FROM tenant t WHERE t.id = app_tenant() AND t.disabled_at IS NULL)`;
  // clé d'API : ni compte à vérifier (la clé l'a été), ni groupes ; son rôle seul, toutes les sociétés du tenant
  const account = keyRoleId
    ? sql`SELECT false AS super_admin, true AS totp_enabled, NULL::uuid AS current_company WHERE ${tenantActive}`
    : sql`SELECT ${isSuperAdminSql(sql.ref('u.id'))} AS super_admin, u.totp_enabled, ${user.column('currentCompany')} AS current_company
      FROM ${user.table} u WHERE u.id = ${userId} AND ${anyState ? sql`true` : sql`${alive('u')} AND u.active AND NOT u.locked AND ${tenantActive}`}`;
  const roleIds = keyRoleId
    ? sql`SELECT ${keyRoleId}::uuid AS id`
    : sql`SELECT l.target_id AS id FROM ${user.link('roles')} l WHERE l.source_id = ${userId}
      UNION SELECT l.target_id FROM ${group.link('roles')} l WHERE l.source_id IN (SELECT id FROM member_of)`;
  const companies = keyRoleId
    ? sql`SELECT json_agg(c.id) FROM ${sql.table(catalog.get('company')!.table)} c WHERE ${alive('c')}`
    : sql`SELECT json_agg(l.target_id) FROM ${user.link('companies')} l WHERE l.source_id = ${userId}`;
  const { rows } = await sql<ProfileRow>`
    WITH RECURSIVE
    account AS (${account}),
    member_of AS (
      SELECT g.id, ${group.column('parent')} AS parent FROM ${group.table} g
      WHERE ${keyRoleId ? sql`false` : sql`g.id IN (SELECT m.source_id FROM ${group.link('members')} m WHERE m.target_id = ${userId})`} AND ${alive('g')}
      UNION
      SELECT p.id, ${sql.ref(`p.${catalog.get('group')!.byName.get('parent')!.column}`)} FROM ${group.table} p
      JOIN member_of c ON p.id = c.parent WHERE ${alive('p')}),
    role_ids AS (${roleIds}),
    granted AS (
      SELECT r.id, r.name, r.admin, ${role.column('mfaRequired')} AS "mfaRequired",
        ARRAY(SELECT p.code FROM ${role.link('permissions')} l JOIN ${permission.table} p ON p.id = l.target_id
              WHERE l.source_id = r.id AND ${alive('p')}) AS permissions
      FROM ${role.table} r WHERE r.id IN (SELECT id FROM role_ids) AND ${alive('r')})
    SELECT
      (SELECT row_to_json(account) FROM account) AS account,
      coalesce((SELECT json_agg(granted) FROM granted), '[]') AS roles,
      coalesce((SELECT json_agg(DISTINCT id) FROM member_of), '[]') AS groups,
      coalesce((${companies}), '[]') AS companies,
      coalesce((SELECT json_agg(json_build_object('role', x.role, 'entity', x.entity, 'actions', x.actions, 'filter', x.filter))
        FROM ${recordRule.table} x WHERE x.role IN (SELECT id FROM granted) AND ${alive('x')}), '[]') AS record_rules,
      coalesce((SELECT json_agg(json_build_object('role', x.role, 'entity', x.entity, 'field', x.field, 'access', x.access))
        FROM ${fieldRule.table} x WHERE x.role IN (SELECT id FROM granted) AND ${alive('x')}), '[]') AS field_rules`.execute(trx);
  return rows[0]!;
}
