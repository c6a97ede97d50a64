// Historique des courriels d'un tenant : liste filtrée (état, destinataire) paginée par curseur, détail, rebond
// enregistré sur un message envoyé (par l'API, ou par un intégrateur de DSN/webhook via `bounce`).
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import { UUID } from '../../engine/validate.js';
import { notFound, ProblemError } from '../../errors/problem.js';
import type { AttachmentRef } from './attachments.js';

export const EMAIL_STATUSES = ['queued', 'sent', 'failed', 'bounced'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export interface MessageRow {
  id: string;
  status: EmailStatus;
  recipient: string;
  subject: string;
  html: string | null;
  text: string | null;
  template: string | null;
  locale: string | null;
  attachments: AttachmentRef[];
  sensitive: boolean;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  job_id: string | null;
  resend_of: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  bounced_at: Date | null;
}

const SUMMARY = sql`id, status, recipient, subject, template, locale, attachments, sensitive, attempts, last_error, provider_message_id,
  job_id, resend_of, created_by, created_at, updated_at, sent_at, failed_at, bounced_at`;

/** Message tel que l'API le montre ; `full` : avec le contenu (HTML et texte). */
export function messageJson(row: MessageRow, full = false): Record<string, unknown> {
  return {
    id: row.id, status: row.status, to: row.recipient, subject: row.subject, template: row.template, locale: row.locale,
    attachments: row.attachments.map(({ id, name, mime, size }) => ({ id, name, mime, size })),
    attempts: row.attempts, lastError: row.last_error, providerMessageId: row.provider_message_id, jobId: row.job_id, resendOf: row.resend_of,
    createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at, sentAt: row.sent_at, failedAt: row.failed_at, bouncedAt: row.bounced_at,
    ...(full ? { html: row.html, text: row.text, sensitive: row.sensitive } : {}),
  };
}

export interface HistoryQuery {
  status?: EmailStatus;
  /** partie de l'adresse du destinataire, sans égard à la casse */
  to?: string;
  cursor?: string;
  limit: number;
}

export class EmailHistory {
  constructor(private readonly db: Db) {}

  /** Messages du tenant, les plus récents d'abord (ids UUIDv7 : ordre de création). */
  async list(tenantId: string, query: HistoryQuery): Promise<{ data: Record<string, unknown>[]; meta: { nextCursor: string | null } }> {
    const rows = await inTenant(this.db, { tenantId }, async (trx) => {
      const where = [sql`true`];
      if (query.status) where.push(sql`status = ${query.status}`);
      if (query.to) where.push(sql`recipient ILIKE ${`%${query.to.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
      if (query.cursor) where.push(sql`id < ${query.cursor}`);
      return (await sql<MessageRow>`SELECT ${SUMMARY} FROM email_message WHERE ${sql.join(where, sql` AND `)}
        ORDER BY id DESC LIMIT ${query.limit + 1}`.execute(trx)).rows;
    }, { singleStatement: true });
    const page = rows.slice(0, query.limit);
    return { data: page.map((r) => messageJson(r)), meta: { nextCursor: rows.length > query.limit ? page.at(-1)!.id : null } };
  }

  /** Message du tenant avec son contenu ; 404 s'il n'existe pas dans ce tenant. */
  async get(tenantId: string, id: string): Promise<MessageRow> {
    if (!UUID.test(id)) throw notFound('Unknown email message');
    const row = await inTenant(this.db, { tenantId }, async (trx) =>
      (await sql<MessageRow>`SELECT * FROM email_message WHERE id = ${id}`.execute(trx)).rows[0], { singleStatement: true });
    if (!row) throw notFound('Unknown email message');
    return row;
  }

  /**
   * Rebond signalé (DSN lu par un relais, webhook d'un fournisseur, saisie d'un administrateur) : le message envoyé
   * passe à `bounced` avec la raison. Par id, ou par l'identifiant rendu par le serveur SMTP. 409 s'il n'était pas envoyé.
   */
  async bounce(tenantId: string, where: { id: string } | { providerMessageId: string }, reason: string): Promise<MessageRow> {
    if ('id' in where && !UUID.test(where.id)) throw notFound('Unknown email message');
    const match = 'id' in where ? sql`id = ${where.id}` : sql`provider_message_id = ${where.providerMessageId}`;
    return inTenant(this.db, { tenantId }, async (trx) => {
      const { rows } = await sql<MessageRow>`UPDATE email_message SET status = 'bounced', bounced_at = now(), updated_at = now(),
        last_error = ${reason.slice(0, 2000)} WHERE ${match} AND status IN ('sent', 'bounced') RETURNING *`.execute(trx);
      if (rows[0]) return rows[0];
      const exists = (await sql`SELECT 1 FROM email_message WHERE ${match}`.execute(trx)).rows.length > 0;
      if (!exists) throw notFound('Unknown email message');
      throw new ProblemError(409, 'not_sent', 'Only a sent message can bounce');
    });
  }
}
