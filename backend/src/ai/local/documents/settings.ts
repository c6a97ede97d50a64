// Réglages de la lecture de documents (par tenant) : limites contre les fichiers trop gros et les bombes PDF.
import { defineSetting } from '@opsflux/sdk';
import type { CoreSettingDeclaration } from '../../../config/registry.js';
import { DEFAULT_DOCUMENT_LIMITS as D } from './limits.js';

export const DOCUMENT_SETTINGS: CoreSettingDeclaration[] = [
  defineSetting({
    key: 'ai.local.documents.maxBytes', scope: 'tenant', schema: { type: 'integer', minimum: 1024, maximum: 200 * 1024 * 1024 }, default: D.maxBytes,
    label: { en: 'Document reading: largest file (bytes)', fr: 'Lecture de documents : fichier le plus gros (octets)' },
  }),
  defineSetting({
    key: 'ai.local.documents.maxPages', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 500 }, default: D.maxPages,
    label: { en: 'Document reading: most pages in a PDF', fr: 'Lecture de documents : pages d’un PDF au plus' },
  }),
  defineSetting({
    key: 'ai.local.documents.maxPixels', scope: 'tenant', schema: { type: 'integer', minimum: 100_000, maximum: 200_000_000 }, default: D.maxPixels,
    label: { en: 'Document reading: largest page or image (pixels)', fr: 'Lecture de documents : page ou image la plus grande (pixels)' },
  }),
  defineSetting({
    key: 'ai.local.documents.timeoutSeconds', scope: 'tenant', schema: { type: 'integer', minimum: 10, maximum: 1800 }, default: D.timeoutMs / 1000,
    label: { en: 'Document reading: time limit (seconds)', fr: 'Lecture de documents : durée maximale (secondes)' },
  }),
];
