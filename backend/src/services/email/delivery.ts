// Travail `email.send` : relit le message du tenant, choisit le transport SMTP du tenant, envoie avec les pièces
// jointes, note le résultat sur la ligne. Refus définitif (5xx) : `failed` tout de suite, sans nouvelle tentative ;
// échec passager : `JobFailure`, la file réessaie avec un délai croissant (la ligne reste `queued` jusqu'à la dernière).
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import { JobFailure } from '../jobs/queue.js';
import type { JobRun } from '../jobs/types.js';
import type { FileStore } from '../files/store.js';
import { attachmentContents } from './attachments.js';
import type { MessageRow } from './history.js';
import { classifySendError } from './smtp-errors.js';
import type { MailTransports } from './transports.js';

export const EMAIL_JOB = 'email.send';

export interface DeliveryDeps {
  db: Db;
  transports: MailTransports;
  store: (tenantId: string) => Promise<FileStore>;
}

type Outcome = { status: 'sent'; providerMessageId: string } | { status: 'failed' | 'queued'; error: string };

/** Note l'issue d'une tentative ; un message sensible perd son contenu une fois envoyé (ou définitivement refusé). */
async function record(db: Db, tenantId: string, id: string, outcome: Outcome): Promise<void> {
  await inTenant(db, { tenantId }, async (trx) => {
    if (outcome.status === 'sent') {
      await sql`UPDATE email_message SET status = 'sent', attempts = attempts + 1, sent_at = now(), updated_at = now(), last_error = NULL,
        provider_message_id = ${outcome.providerMessageId},
        html = CASE WHEN sensitive THEN NULL ELSE html END, text = CASE WHEN sensitive THEN NULL ELSE text END
        WHERE id = ${id}`.execute(trx);
    } else {
      const failed = outcome.status === 'failed';
      await sql`UPDATE email_message SET status = ${outcome.status}, attempts = attempts + 1, last_error = ${outcome.error}, updated_at = now(),
        failed_at = ${failed ? sql`now()` : sql`NULL`},
        html = CASE WHEN sensitive AND ${failed} THEN NULL ELSE html END, text = CASE WHEN sensitive AND ${failed} THEN NULL ELSE text END
        WHERE id = ${id}`.execute(trx);
    }
  });
}

export async function deliver(deps: DeliveryDeps, job: JobRun<{ messageId?: string }>): Promise<unknown> {
  const { tenantId } = job;
  const messageId = job.payload.messageId;
  if (!tenantId || typeof messageId !== 'string') throw new JobFailure('email.send needs a tenant and a messageId');
  const row = await inTenant(deps.db, { tenantId }, async (trx) =>
    (await sql<MessageRow>`SELECT * FROM email_message WHERE id = ${messageId}`.execute(trx)).rows[0], { singleStatement: true });
  // message disparu ou déjà traité (travail repris après un arrêt) : rien à faire
  if (!row || row.status !== 'queued') return { skipped: row?.status ?? 'missing' };
  const transport = await deps.transports.for(tenantId);
  try {
    const attachments = await attachmentContents(await deps.store(tenantId), tenantId, row.attachments);
    const info = await transport.mailer.send({ to: row.recipient, subject: row.subject, html: row.html ?? undefined, text: row.text ?? '', attachments });
    await record(deps.db, tenantId, row.id, { status: 'sent', providerMessageId: info.messageId });
    return { status: 'sent', via: transport.origin };
  } catch (error) {
    const failure = classifySendError(error);
    const last = failure.permanent || job.attempt >= job.maxAttempts;
    await record(deps.db, tenantId, row.id, { status: last ? 'failed' : 'queued', error: failure.message });
    if (failure.permanent) return { status: 'failed', error: failure.message };
    throw new JobFailure(failure.message);
  }
}
