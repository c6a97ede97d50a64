// Canal courriel : les notifications dont le destinataire veut un courriel sont marquées `email_pending` dans la
// transaction qui les écrit ; après le COMMIT, le nœud qui les a écrites (averti par son propre NOTIFY) les réclame et
// les remet à `deliverByEmail`, seul point d'envoi (il passera par la file des courriels quand elle existera).
import { sql } from 'kysely';
import { DrainWorker } from '../../background/drain-loop.js';
import type { Db } from '../../db/database.js';
import { inTenant, type Tx } from '../../db/transaction.js';
import type { CatalogOf } from '../../engine/tenant-work.js';
import type { EmailService } from '../email/email-service.js';
import type { StoredText } from './texts.js';

export interface EmailChannelDeps {
  db: Db;
  catalog: CatalogOf;
  /** file des courriels (créée après les notifications) */
  email: () => EmailService;
  /** adresse publique, préfixe des liens relatifs */
  publicUrl: string;
}

export interface NotificationMail {
  tenantId: string;
  notificationId: string;
  to: string;
  locale: 'en' | 'fr';
  subject: string;
  text: string;
}

/** Seul point d'envoi des courriels de notification. */
export async function deliverByEmail(email: EmailService, mails: NotificationMail[]): Promise<void> {
  // file des courriels : historique, nouvelles tentatives, serveur SMTP du tenant
  for (const mail of mails) await email.send({ tenantId: mail.tenantId, to: mail.to, locale: mail.locale, subject: mail.subject, text: mail.text });
}

interface PendingRow {
  id: string;
  email: string;
  locale: string | null;
  priority: number;
  title: StoredText;
  body: StoredText | null;
  link: string | null;
}

const FOOTER = {
  en: 'You receive this e-mail because of your notification preferences.',
  fr: 'Vous recevez ce courriel selon vos préférences de notification.',
};
const PRIORITY_TAG = { en: ['', '', '[High] ', '[Urgent] '], fr: ['', '', '[Haute] ', '[Urgent] '] };

function compose(publicUrl: string, tenantId: string, row: PendingRow): NotificationMail {
  const locale = row.locale === 'fr' ? 'fr' : 'en';
  const link = row.link ? (row.link.startsWith('/') ? `${publicUrl}${row.link}` : row.link) : undefined;
  const text = [row.body?.[locale], link, FOOTER[locale]].filter(Boolean).join('\n\n');
  return { tenantId, notificationId: row.id, to: row.email, locale, subject: `${PRIORITY_TAG[locale][row.priority] ?? ''}${row.title[locale]}`, text };
}

/** Réclame les courriels en attente du tenant (tous, ou ceux restés en attente depuis `staleBefore`). */
async function claim(trx: Tx, userTable: string, staleBefore?: Date): Promise<PendingRow[]> {
  const { rows } = await sql<PendingRow>`
    UPDATE notification n SET email_pending = false FROM ${sql.table(userTable)} u
    WHERE n.email_pending AND u.id = n.user_id ${staleBefore ? sql`AND n.created_at < ${staleBefore}` : sql``}
    RETURNING n.id, u.email, u.locale, n.priority, n.title, n.body, n.link`.execute(trx);
  return rows;
}

/** Réclame puis envoie ; un envoi qui échoue remet sa notification en attente (reprise par le balayage). */
export async function sendPending(deps: EmailChannelDeps, tenantId: string, staleBefore?: Date): Promise<number> {
  const userTable = (await deps.catalog(tenantId)).get('user')!.table;
  const rows = await inTenant(deps.db, { tenantId }, (trx) => claim(trx, userTable, staleBefore));
  const failed: string[] = [];
  for (const row of rows) {
    await deliverByEmail(deps.email(), [compose(deps.publicUrl, tenantId, row)]).catch(() => failed.push(row.id));
  }
  if (failed.length) {
    await inTenant(deps.db, { tenantId }, (trx) => sql`UPDATE notification SET email_pending = true WHERE id = ANY(${failed}::uuid[])`.execute(trx));
  }
  return rows.length - failed.length;
}

/** Envois après commit des tenants signalés à ce nœud ; les demandes rapprochées se regroupent. */
export class EmailSender extends DrainWorker {
  private readonly tenants = new Set<string>();

  constructor(private readonly deps: EmailChannelDeps, onError: (error: unknown) => void) {
    super(onError, { settleMs: 50 });
  }

  request(tenantId: string): void {
    this.tenants.add(tenantId);
    this.kick();
  }

  protected async pass(): Promise<void> {
    while (this.tenants.size) {
      const [tenantId] = this.tenants;
      this.tenants.delete(tenantId!);
      await sendPending(this.deps, tenantId!);
    }
  }
}
