// Destinataires d'une notification : utilisateurs actifs du tenant désignés directement ou par rôle (identifiant ou
// nom ; membres directs du rôle et membres des groupes qui le portent, sous-groupes compris), avec leur adresse,
// leur langue et leurs préférences de canaux. Une seule requête, dans la transaction de l'appelant.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { linkTable } from '../../engine/naming.js';
import { CHANNELS_KEY, EMAIL_SWITCH_KEY } from './channels.js';

export interface Recipient {
  id: string;
  email: string;
  locale: string | null;
  channels: unknown;
  emailSwitch: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findRecipients(trx: Tx, catalog: Catalog, users: string[], roles: string[]): Promise<Recipient[]> {
  const user = catalog.get('user')!;
  const group = catalog.get('group')!;
  const role = catalog.get('role')!;
  const preference = catalog.get('user_preference')!;
  const link = (model: EntityModel, field: string) => sql.table(linkTable(model, model.byName.get(field)!));
  const column = (model: EntityModel, alias: string, field: string) => sql.ref(`${alias}.${model.byName.get(field)!.column}`);
  const userIds = users.filter((id) => UUID.test(id));
  const roleIds = roles.filter((r) => UUID.test(r));
  const { rows } = await sql<Recipient>`
    WITH RECURSIVE
    wanted AS (
      SELECT r.id FROM ${sql.table(role.table)} r WHERE r.deleted_at IS NULL AND (r.id = ANY(${roleIds}::uuid[]) OR r.name = ANY(${roles}::text[]))),
    carriers AS (
      SELECT g.id FROM ${sql.table(group.table)} g
      WHERE g.deleted_at IS NULL AND g.id IN (SELECT l.source_id FROM ${link(group, 'roles')} l WHERE l.target_id IN (SELECT id FROM wanted))
      UNION
      SELECT c.id FROM ${sql.table(group.table)} c JOIN carriers p ON ${column(group, 'c', 'parent')} = p.id WHERE c.deleted_at IS NULL)
    SELECT u.id, u.email, u.locale,
      (SELECT p.value FROM ${sql.table(preference.table)} p
        WHERE ${column(preference, 'p', 'user')} = u.id AND p.key = ${CHANNELS_KEY} AND p.deleted_at IS NULL) AS channels,
      (SELECT p.value FROM ${sql.table(preference.table)} p
        WHERE ${column(preference, 'p', 'user')} = u.id AND p.key = ${EMAIL_SWITCH_KEY} AND p.deleted_at IS NULL) AS "emailSwitch"
    FROM ${sql.table(user.table)} u
    WHERE u.deleted_at IS NULL AND u.active AND (
      u.id = ANY(${userIds}::uuid[])
      OR EXISTS (SELECT 1 FROM ${link(user, 'roles')} l WHERE l.source_id = u.id AND l.target_id IN (SELECT id FROM wanted))
      OR EXISTS (SELECT 1 FROM ${link(group, 'members')} m WHERE m.target_id = u.id AND m.source_id IN (SELECT id FROM carriers)))
    ORDER BY u.id`.execute(trx);
  return rows;
}
