// Limites d'une lecture de document, réglables par tenant (ai.local.documents.*) : taille du fichier, pages, pixels
// d'une page à lire, et durée totale ; elles arrêtent aussi une bombe PDF (milliers de pages, page immense).
import type { Settings } from '../../../config/settings.js';

export interface DocumentLimits {
  maxBytes: number;
  maxPages: number;
  maxPixels: number;
  timeoutMs: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 20,
  maxPixels: 40_000_000,
  timeoutMs: 180_000,
};

export async function documentLimits(settings: Pick<Settings, 'value'>, tenantId: string): Promise<DocumentLimits> {
  const [maxBytes, maxPages, maxPixels, timeoutSeconds] = await Promise.all([
    settings.value<number>('ai.local.documents.maxBytes', { tenantId }),
    settings.value<number>('ai.local.documents.maxPages', { tenantId }),
    settings.value<number>('ai.local.documents.maxPixels', { tenantId }),
    settings.value<number>('ai.local.documents.timeoutSeconds', { tenantId }),
  ]);
  return { maxBytes, maxPages, maxPixels, timeoutMs: timeoutSeconds * 1000 };
}
