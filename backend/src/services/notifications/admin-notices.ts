// Avis aux administrateurs d'un tenant (licence échue, échéance proche, nouvelle erreur…) : notification en
// application (priorité haute, catégorie `admin`) et courriel dans la langue de chacun, envoyé ici quelles que soient
// ses préférences de canaux (la notification ne déclenche donc pas de second courriel).
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import { linkTable } from '../../engine/naming.js';
import type { CatalogOf } from '../../engine/tenant-work.js';
import { isSuperAdminSql } from '../../iam/super-admins.js';
import type { Mailer } from '../email/transport/mailer.js';
import type { NotificationService } from './service.js';

export interface Notice {
  subject: { en: string; fr: string };
  body: { en: string; fr: string };
}

export interface AdminNoticeDeps {
  db: Db;
  catalog: CatalogOf;
  mailer: Mailer;
  notifications: NotificationService;
}

/** Avis aux administrateurs d'un tenant, dépendances déjà liées (pour les services qui en envoient). */
export type NotifyAdministrators = (tenantId: string, notice: Notice) => Promise<number>;

/** Envoie l'avis à chaque administrateur actif du tenant ; renvoie le nombre de destinataires. */
export async function notifyAdministrators(deps: AdminNoticeDeps, tenantId: string, notice: Notice): Promise<number> {
  const catalog = await deps.catalog(tenantId);
  const users = catalog.get('user')!;
  const roles = sql.table(linkTable(users, users.byName.get('roles')!));
  const { rows } = await inTenant(deps.db, { tenantId }, (trx) => sql<{ id: string; email: string; locale: string | null }>`
    SELECT u.id, u.email, u.locale FROM app_user u
    WHERE u.deleted_at IS NULL AND u.active AND (${isSuperAdminSql(sql.ref('u.id'))} OR EXISTS (
      SELECT 1 FROM ${roles} l JOIN role r ON r.id = l.target_id WHERE l.source_id = u.id AND r.admin AND r.deleted_at IS NULL))`.execute(trx));
  for (const { email, locale } of rows) {
    const lang = locale === 'fr' ? 'fr' : 'en';
    await deps.mailer.send({ to: email, subject: notice.subject[lang], text: notice.body[lang] });
  }
  // courriel d'abord (canal de repli) ; la notification en application ensuite
  if (rows.length) {
    await deps.notifications.notify({
      tenantId, users: rows.map((r) => r.id), title: notice.subject, body: notice.body, priority: 'high', category: 'admin', email: false,
    });
  }
  return rows.length;
}
