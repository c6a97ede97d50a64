// Lecture d'un document (OCR + extraction de facture) : un brouillon que l'utilisateur relit, corrige et confirme.
// Entité du moteur : audit, suppression douce et permissions sans rien de plus.
import { defineEntity } from '@opsflux/sdk';

export const DOCUMENT_EXTRACTION_STATUSES = ['pending', 'processing', 'draft', 'confirmed', 'rejected', 'failed'] as const;

export const documentExtractionEntity = defineEntity({
  name: 'document_extraction',
  module: 'core',
  label: { en: 'Document extraction', fr: 'Lecture de document' },
  display: 'fileName',
  attachedTo: { entity: 'entity', recordId: 'recordId' },
  indexes: [{ fields: ['entity', 'recordId'] }],
  fields: {
    status: {
      type: 'enum', required: true, default: 'pending', index: true,
      options: { values: [...DOCUMENT_EXTRACTION_STATUSES] }, label: { en: 'Status', fr: 'Statut' },
    },
    /** pièce jointe lue (gestionnaire de fichiers) */
    file: { type: 'ref', options: { to: 'attachment' }, readOnly: true, label: { en: 'File', fr: 'Fichier' } },
    fileName: { type: 'string', maxLength: 255, readOnly: true, search: true, label: { en: 'File name', fr: 'Nom du fichier' } },
    /** enregistrement auquel le fichier est joint */
    entity: { type: 'string', readOnly: true, label: { en: 'Entity', fr: 'Entité' } },
    recordId: { type: 'string', readOnly: true, label: { en: 'Record', fr: 'Enregistrement' } },
    supplier: { type: 'ref', options: { to: 'supplier' }, label: { en: 'Supplier', fr: 'Fournisseur' } },
    /** champs extraits : { nom: { value, confidence } }, relus et corrigés par l'utilisateur */
    fields: { type: 'json', label: { en: 'Extracted fields', fr: 'Champs extraits' } },
    text: { type: 'text', readOnly: true, label: { en: 'Recognised text', fr: 'Texte reconnu' } },
    language: { type: 'string', maxLength: 8, readOnly: true, label: { en: 'Language', fr: 'Langue' } },
    pages: { type: 'integer', readOnly: true, label: { en: 'Pages', fr: 'Pages' } },
    /** confiance moyenne de la reconnaissance (0 à 1) */
    confidence: { type: 'decimal', options: { precision: 6, scale: 4 }, readOnly: true, label: { en: 'OCR confidence', fr: 'Confiance de l’OCR' } },
    durationMs: { type: 'integer', readOnly: true, label: { en: 'Duration (ms)', fr: 'Durée (ms)' } },
    engine: { type: 'string', maxLength: 100, readOnly: true, label: { en: 'Engine', fr: 'Moteur' } },
    jobId: { type: 'string', readOnly: true, label: { en: 'Job', fr: 'Travail' } },
    error: { type: 'text', readOnly: true, label: { en: 'Error', fr: 'Erreur' } },
  },
});
