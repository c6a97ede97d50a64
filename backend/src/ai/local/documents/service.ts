// Lecture de documents pour les routes et l'assistant, COMME l'utilisateur : le fichier doit lui être lisible (pièce
// jointe d'un enregistrement qu'il peut lire), le brouillon créé avec ses droits, relu avec eux.
import { buffer } from 'node:stream/consumers';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService, Row } from '../../../engine/crud/service.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';
import type { Settings } from '../../../config/settings.js';
import type { FileService } from '../../../services/files/file-service.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import { DocumentError } from './errors.js';
import { detectLanguage, extractInvoice, type InvoiceFields } from './invoice-extractor.js';
import { DOCUMENT_JOB } from './job.js';
import { documentLimits } from './limits.js';
import { checkDocument, DOCUMENT_MIMES, readDocument } from './read-document.js';
import { matchSupplier, type SupplierMatch } from './supplier-match.js';

export interface DocumentServiceDeps {
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  jobs: JobQueue;
  files: Pick<FileService, 'find' | 'store'>;
}

export interface DocumentExtraction {
  id: string;
  status: string;
  fileId: string | null;
  fileName: string | null;
  entity: string | null;
  recordId: string | null;
  supplier: string | null;
  supplierMatch: SupplierMatch | null;
  fields: InvoiceFields | null;
  text: string | null;
  language: string | null;
  pages: number | null;
  confidence: number | null;
  durationMs: number | null;
  engine: string | null;
  jobId: string | null;
  error: string | null;
  version: number;
}

export interface ReadNow {
  fileName: string;
  pages: number;
  language: 'fr' | 'en';
  confidence: number;
  text: string;
  fields: InvoiceFields;
  supplierMatch: SupplierMatch | null;
}

export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  private async bytes(ctx: RequestContext, attachment: Row): Promise<Buffer> {
    const store = await this.deps.files.store(ctx.tenantId);
    return buffer(await store.read(ctx.tenantId, String(attachment.sha256)));
  }

  /** Pièce jointe lisible par l'appelant, d'un type et d'une taille acceptés (sinon 404 ou 422). */
  private async file(ctx: RequestContext, fileId: string): Promise<Row> {
    const attachment = await this.deps.files.find(ctx, fileId);
    const limits = await documentLimits(this.deps.settings, ctx.tenantId);
    if (!DOCUMENT_MIMES.includes(String(attachment.mime))) throw new DocumentError('document_unsupported_type', { mime: String(attachment.mime) }, ctx.locale);
    if (Number(attachment.size) > limits.maxBytes) throw new DocumentError('document_too_large', { max: limits.maxBytes }, ctx.locale);
    return attachment;
  }

  /** Crée le brouillon (en attente) et met sa lecture en file ; rend son identifiant et celui du travail. */
  async start(ctx: RequestContext, fileId: string): Promise<{ id: string; jobId: string | null; status: string }> {
    const attachment = await this.file(ctx, fileId);
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, 'document_extraction', 'create');
    // un fichier corrompu ou une bombe (pages, dimensions) est refusé tout de suite, sans travail en file
    await checkDocument(await this.bytes(ctx, attachment), await documentLimits(this.deps.settings, ctx.tenantId)).catch((error: unknown) => {
      throw error instanceof DocumentError ? new DocumentError(error.reason, error.params, ctx.locale) : error;
    });
    return this.deps.tenantTx(ctx, async (trx) => {
      // champs en lecture seule écrits par le service (contexte de confiance), au nom de l'utilisateur
      const row = await this.deps.records.create(trx, { ...ctx, system: true }, catalog, model, {
        status: 'pending', file: attachment.id, fileName: attachment.name, entity: attachment.entity, recordId: attachment.recordId,
      });
      const jobId = await this.deps.jobs.enqueue(ctx.tenantId, DOCUMENT_JOB, { extractionId: row.id, fileId: attachment.id }, { trx, createdBy: ctx.userId });
      await this.deps.records.update(trx, { ...ctx, system: true }, catalog, model, String(row.id), { jobId });
      return { id: String(row.id), jobId, status: 'pending' };
    });
  }

  /** Le brouillon tel que l'appelant peut le lire, avec le fournisseur existant qui lui correspond. */
  async get(ctx: RequestContext, id: string): Promise<DocumentExtraction> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, 'document_extraction', 'read');
    const row = await this.deps.tenantTx(ctx, (trx) => this.deps.records.get(trx, ctx, catalog, model, id));
    const fields = (row.fields ?? null) as InvoiceFields | null;
    const supplierMatch = fields && row.status === 'draft'
      ? await matchSupplier(this.deps, ctx, { name: fields.supplier?.value, vatNumber: fields.vatNumber?.value, iban: fields.iban?.value })
      : null;
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      id: String(row.id), status: String(row.status), fileId: str(row.file), fileName: str(row.fileName), entity: str(row.entity), recordId: str(row.recordId),
      supplier: str(row.supplier), supplierMatch, fields, text: str(row.text), language: str(row.language), pages: num(row.pages),
      confidence: num(row.confidence), durationMs: num(row.durationMs), engine: str(row.engine), jobId: str(row.jobId), error: str(row.error),
      version: Number(row.version),
    };
  }

  /** Lecture immédiate, sans brouillon (outil de l'assistant). */
  async readNow(ctx: RequestContext, fileId: string, signal?: AbortSignal): Promise<ReadNow> {
    const attachment = await this.file(ctx, fileId);
    const result = await readDocument(await this.bytes(ctx, attachment), await documentLimits(this.deps.settings, ctx.tenantId), signal);
    const fields = extractInvoice(result.text);
    const supplierMatch = await matchSupplier(this.deps, ctx, { name: fields.supplier.value, vatNumber: fields.vatNumber.value, iban: fields.iban.value });
    return {
      fileName: String(attachment.name), pages: result.pages.length, language: detectLanguage(result.text),
      confidence: result.confidence, text: result.text, fields, supplierMatch,
    };
  }
}
