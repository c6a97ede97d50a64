// Avis aux administrateurs d'un tenant (licence échue, échéance proche…), par courriel dans la langue de chacun. Le
// service de notifications en application les reprendra quand il existera ; le courriel reste le canal de repli.
import { sql } from 'kysely';
import type { Platform } from '../core/platform.js';
import { inTenant } from '../db/transaction.js';
import { linkTable } from '../engine/schema/sync.js';

export interface Notice {
  subject: { en: string; fr: string };
  body: { en: string; fr: string };
}

/** Envoie l'avis à chaque administrateur actif du tenant ; renvoie le nombre de destinataires. */
export async function notifyAdministrators(platform: Platform, tenantId: string, notice: Notice): Promise<number> {
  const catalog = await platform.catalog(tenantId);
  const users = catalog.get('user')!;
  const roles = sql.table(linkTable(users, users.byName.get('roles')!));
  const { rows } = await inTenant(platform.db, { tenantId }, (trx) => sql<{ email: string; locale: string | null }>`
    SELECT u.email, u.locale FROM app_user u
    WHERE u.deleted_at IS NULL AND u.active AND (u.super_admin OR EXISTS (
      SELECT 1 FROM ${roles} l JOIN role r ON r.id = l.target_id WHERE l.source_id = u.id AND r.admin AND r.deleted_at IS NULL))`.execute(trx));
  for (const { email, locale } of rows) {
    const lang = locale === 'fr' ? 'fr' : 'en';
    await platform.mailer.send({ to: email, subject: notice.subject[lang], text: notice.body[lang] });
  }
  return rows.length;
}
