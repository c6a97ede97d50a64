// Travail de lecture d'un document : le fichier est lu depuis le stockage du tenant, reconnu (couche texte ou OCR),
// puis les champs de facture sont extraits et le brouillon passe à « draft » — ou à « failed » avec la raison (un
// document illisible ne se relit pas : pas de nouvel essai).
import { buffer } from 'node:stream/consumers';
import { systemContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { CatalogOf, TenantTx } from '../../../engine/tenant-work.js';
import type { Settings } from '../../../config/settings.js';
import type { FileService } from '../../../services/files/file-service.js';
import type { JobQueue } from '../../../services/jobs/queue.js';
import { extractInvoice, detectLanguage } from './invoice-extractor.js';
import { documentLimits } from './limits.js';
import { OCR_ENGINE } from './ocr-engine.js';
import { readDocument } from './read-document.js';
import { visionUpgrade } from './vision-upgrade.js';
import type { AiGateway } from '../../gateway.js';

export const DOCUMENT_JOB = 'ai.documents.extract';

export interface DocumentJobPayload { extractionId: string; fileId: string }

export interface DocumentJobDeps {
  jobs: JobQueue;
  settings: Settings;
  records: RecordService;
  tenantTx: TenantTx;
  catalog: CatalogOf;
  files: Pick<FileService, 'store'>;
  /** relève des pages mal lues par le fournisseur routé pour `ocr` */
  gateway: Pick<AiGateway, 'chat'>;
}

export function registerDocumentJob(deps: DocumentJobDeps): void {
  deps.jobs.register<DocumentJobPayload>({
    name: DOCUMENT_JOB,
    label: { en: 'Read a document (OCR and invoice extraction)', fr: 'Lecture d’un document (OCR et extraction de facture)' },
    maxAttempts: 1,
    timeoutMs: 1_800_000,
    handler: async (job) => {
      const tenantId = job.tenantId!;
      const ctx = systemContext(tenantId, `job-${job.id}`);
      const catalog = await deps.catalog(tenantId);
      const model = catalog.get('document_extraction')!;
      const write = (values: Record<string, unknown>) => deps.tenantTx(ctx, (trx) => deps.records.update(trx, ctx, catalog, model, job.payload.extractionId, values));
      await write({ status: 'processing' });
      try {
        const attachment = await deps.tenantTx(ctx, (trx) => deps.records.get(trx, ctx, catalog, catalog.get('attachment')!, job.payload.fileId));
        const store = await deps.files.store(tenantId);
        const bytes = await buffer(await store.read(tenantId, String(attachment.sha256)));
        const upgrade = await visionUpgrade(deps, tenantId, `job-${job.id}`, job.signal);
        const result = await readDocument(bytes, await documentLimits(deps.settings, tenantId), job.signal, upgrade);
        const providers = [...new Set(result.pages.flatMap((p) => (p.provider ? [p.provider] : [])))];
        const fields = extractInvoice(result.text);
        await write({
          status: 'draft', fields, text: result.text.slice(0, 200_000), language: detectLanguage(result.text), pages: result.pages.length,
          confidence: result.confidence.toFixed(4), durationMs: result.durationMs,
          engine: result.pages.every((p) => p.source === 'text') ? 'pdf-text' : [OCR_ENGINE, ...providers].join(' + '),
        });
        return { extraction: job.payload.extractionId, pages: result.pages.length };
      } catch (error) {
        await write({ status: 'failed', error: (error as Error).message.slice(0, 2000) });
        return { extraction: job.payload.extractionId, failed: (error as Error).message };
      }
    },
  });
}
