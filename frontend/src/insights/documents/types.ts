// Lecture d'un document (API /ai/documents) : champs extraits avec leur confiance, fournisseur rapproché.
export interface Confident<T = string | null> { value: T; confidence: number }

export interface VatLine { rate: string; base: string | null; amount: string }

export const TEXT_FIELDS = ['supplier', 'vatNumber', 'number', 'issueDate', 'dueDate', 'currency', 'net', 'vat', 'gross', 'iban'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type ExtractedFields = Record<TextField, Confident> & { vatLines: Confident<VatLine[] | null> };

export interface Extraction {
  id: string;
  status: 'pending' | 'processing' | 'draft' | 'confirmed' | 'rejected' | 'failed';
  fileId: string | null;
  fileName: string | null;
  supplier: string | null;
  supplierMatch: { id: string; name: string; confidence: number; by: 'vatNumber' | 'iban' | 'name' } | null;
  fields: ExtractedFields | null;
  language: string | null;
  pages: number | null;
  confidence: number | null;
  durationMs: number | null;
  engine: string | null;
  error: string | null;
  version: number;
}

export const running = (status: Extraction['status'] | undefined) => status === 'pending' || status === 'processing';
