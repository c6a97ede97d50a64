// File d'envoi des courriels (`platform.email`) : `send` rend le modèle (ou prend le contenu donné), vérifie les pièces
// jointes, écrit la ligne `email_message` et dépose le travail `email.send` dans la même transaction ; `resend`
// recopie un message de l'historique en un nouveau message. L'envoi lui-même est dans delivery.ts.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import { inTenant, type Tx } from '../../db/transaction.js';
import type { HookBus } from '../../events/hooks.js';
import { ProblemError, validationFailed } from '../../errors/problem.js';
import type { Mailer } from './transport/mailer.js';
import type { FileStore } from '../files/store.js';
import type { JobQueue } from '../jobs/queue.js';
import type { ResolveTarget } from '../outbound/outbound.js';
import { attachmentRefs, type AttachmentLimits, type AttachmentRef } from './attachments.js';
import { deliver, EMAIL_JOB } from './delivery.js';
import { EmailHistory, messageJson, type MessageRow } from './history.js';
import { htmlToText, oneLine, type RenderedEmail } from './render.js';
import { EmailTemplates } from './templates.js';
import { MailTransports } from './transports.js';

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

export interface EmailQueueOptions {
  /** tentatives au plus pour un échec passager (défaut 6) */
  maxAttempts?: number;
  /** délai avant la 2e tentative, doublé ensuite (défaut 30 s) */
  backoffMs?: number;
}

interface EmailCommon {
  tenantId: string;
  to: string;
  /** langue du destinataire (modèles) ; à défaut celle du tenant, puis `en` */
  locale?: string | null;
  variables?: Record<string, unknown>;
  /** ids de fichiers (pièces jointes) du tenant */
  attachments?: string[];
  /** transaction du tenant en cours : le message n'existe, et ne part, que si elle est validée */
  trx?: Tx;
  /** auteur de la demande (historique) */
  userId?: string | null;
  /** contenu confidentiel (lien de connexion, jeton) : effacé de l'historique une fois envoyé, pas de renvoi */
  sensitive?: boolean;
}

/** Contenu donné sans modèle : HTML et/ou texte (le texte manquant est déduit du HTML). */
export interface RawEmail {
  subject: string;
  html?: string;
  text?: string;
}

export type EmailRequest = EmailCommon & ({ template: string } | RawEmail);

export interface EmailServiceDeps {
  db: Db;
  jobs: JobQueue;
  settings: Settings;
  /** stockage des fichiers du tenant (FileManager) */
  store: (tenantId: string) => Promise<FileStore>;
  /** envoi de la plateforme quand ni le tenant ni la plateforme n'ont de réglages SMTP */
  mailer: () => Mailer;
  /** adresse vérifiée des serveurs SMTP choisis dans les réglages */
  resolveSmtp: ResolveTarget;
  options?: EmailQueueOptions;
}

export class EmailService {
  readonly templates: EmailTemplates;
  readonly history: EmailHistory;
  readonly transports: MailTransports;

  constructor(private readonly deps: EmailServiceDeps) {
    this.templates = new EmailTemplates(deps.settings);
    this.history = new EmailHistory(deps.db);
    this.transports = new MailTransports(deps.settings, deps.mailer, deps.resolveSmtp);
  }

  /** Validation des modèles à l'enregistrement et travail d'envoi (une fois, au démarrage). */
  install(hooks: HookBus): void {
    this.templates.install(hooks);
    this.deps.jobs.register<{ messageId?: string }>({
      name: EMAIL_JOB,
      label: { en: 'Send an email', fr: 'Envoyer un courriel' },
      maxAttempts: this.deps.options?.maxAttempts ?? 6,
      backoffMs: this.deps.options?.backoffMs ?? 30_000,
      timeoutMs: 120_000,
      handler: (job) => deliver({ db: this.deps.db, transports: this.transports, store: this.deps.store }, job),
    });
  }

  /** Met un courriel en file ; renvoie l'id du message. Modèle inconnu, adresse ou pièce jointe invalide → 400. */
  async send(request: EmailRequest): Promise<{ id: string }> {
    if (typeof request.to !== 'string' || !EMAIL.test(request.to.trim())) {
      throw validationFailed([{ field: 'to', code: 'invalid_email', message: 'Invalid email address.' }]);
    }
    return this.inTx(request, async (trx) => {
      const content = 'template' in request
        ? await this.templates.render(trx, request.tenantId, request.template, request.locale, request.variables)
        : { ...rawContent(request), locale: request.locale ?? null };
      const refs = await attachmentRefs(trx, request.attachments ?? [], await this.attachmentLimits(request.tenantId, trx));
      const id = await this.insert(trx, request.tenantId, {
        recipient: request.to.trim(), content, template: 'template' in request ? request.template : null, locale: content.locale,
        attachments: refs, sensitive: request.sensitive ?? false, createdBy: request.userId ?? null, resendOf: null,
      });
      return { id };
    });
  }

  /** Nouveau message, copie d'un message de l'historique (pièces jointes revérifiées) ; renvoie le nouveau message. */
  async resend(tenantId: string, id: string, userId: string | null): Promise<Record<string, unknown>> {
    const original = await this.history.get(tenantId, id);
    if (original.status === 'queued') throw new ProblemError(409, 'still_queued', 'This message is still waiting to be sent');
    if (original.html === null && original.text === null) throw new ProblemError(409, 'content_erased', 'The content of this confidential message was erased after sending');
    const copy = await inTenant(this.deps.db, { tenantId, userId }, async (trx) => {
      const refs = await attachmentRefs(trx, original.attachments.map((a) => a.id), await this.attachmentLimits(tenantId, trx));
      const newId = await this.insert(trx, tenantId, {
        recipient: original.recipient, content: { subject: original.subject, html: original.html, text: original.text ?? '' },
        template: original.template, locale: original.locale, attachments: refs, sensitive: original.sensitive, createdBy: userId, resendOf: original.id,
      });
      return (await sql<MessageRow>`SELECT * FROM email_message WHERE id = ${newId}`.execute(trx)).rows[0]!;
    });
    this.deps.jobs.kick();
    return messageJson(copy, true);
  }

  /** Limites des pièces jointes du tenant, lues dans sa transaction ouverte. */
  private async attachmentLimits(tenantId: string, trx: Tx): Promise<AttachmentLimits> {
    return {
      maxCount: await this.deps.settings.value<number>('email.attachments.maxCount', { tenantId }, trx),
      maxBytes: (await this.deps.settings.value<number>('email.attachments.maxMegabytes', { tenantId }, trx)) * 1024 * 1024,
    };
  }

  private async inTx<T>(request: EmailCommon, work: (trx: Tx) => Promise<T>): Promise<T> {
    if (request.trx) return work(request.trx);
    const result = await inTenant(this.deps.db, { tenantId: request.tenantId, userId: request.userId ?? null }, work);
    this.deps.jobs.kick();
    return result;
  }

  private async insert(trx: Tx, tenantId: string, m: {
    recipient: string; content: MessageContent; template: string | null; locale: string | null; attachments: AttachmentRef[];
    sensitive: boolean; createdBy: string | null; resendOf: string | null;
  }): Promise<string> {
    const id = uuidv7();
    const jobId = await this.deps.jobs.enqueue(tenantId, EMAIL_JOB, { messageId: id }, { trx, createdBy: m.createdBy });
    await sql`INSERT INTO email_message (id, tenant_id, recipient, subject, html, text, template, locale, attachments, sensitive, job_id, resend_of, created_by)
      VALUES (${id}, ${tenantId}, ${m.recipient}, ${m.content.subject}, ${m.content.html}, ${m.content.text}, ${m.template}, ${m.locale},
        ${JSON.stringify(m.attachments)}::jsonb, ${m.sensitive}, ${jobId}, ${m.resendOf}, ${m.createdBy})`.execute(trx);
    return id;
  }
}

type MessageContent = Omit<RenderedEmail, 'html'> & { html: string | null };

/** Contenu donné par l'appelant : objet sur une ligne, texte déduit du HTML s'il manque. */
function rawContent(request: RawEmail): MessageContent {
  const html = typeof request.html === 'string' ? request.html : null;
  if (typeof request.subject !== 'string' || (html === null && typeof request.text !== 'string')) {
    throw validationFailed([{ field: 'subject', code: 'required', message: 'Without a template, give a subject and an html or text body' }]);
  }
  return { subject: oneLine(request.subject), html, text: request.text ?? htmlToText(html!) };
}
