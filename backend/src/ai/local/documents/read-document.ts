// Lecture d'un fichier : image ou PDF → texte par page, avec la confiance et le moteur employé ; limites vérifiées
// (taille, pages, pixels, durée). Un fichier qui n'est ni l'un ni l'autre, ou corrompu, est refusé en 422.
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { DocumentError } from './errors.js';
import type { DocumentLimits } from './limits.js';
import { ocrImage } from './ocr-engine.js';
import { checkPdf, pdfPages } from './pdf.js';
import type { PageUpgrade } from './vision-upgrade.js';

export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/tiff', 'image/gif', 'image/bmp'];
export const DOCUMENT_MIMES = [...IMAGE_MIMES, 'application/pdf'];

export interface ReadPage {
  text: string;
  /** 1 pour une couche texte, la confiance de l'OCR sinon */
  confidence: number;
  source: 'text' | 'ocr';
  /** fournisseur qui a relu la page (relève de l'OCR local) */
  provider?: string;
}

export interface ReadResult {
  pages: ReadPage[];
  text: string;
  confidence: number;
  durationMs: number;
}

async function checkImage(bytes: Buffer, limits: DocumentLimits): Promise<Buffer> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DocumentError('document_unreadable', { reason: (error as Error).message });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > limits.maxPixels) throw new DocumentError('document_page_too_large', { pixels, max: limits.maxPixels });
  try {
    // décodage complet (une image tronquée échoue ici) ; orientation EXIF appliquée ; PNG pour Tesseract
    return await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' }).rotate().png().toBuffer();
  } catch (error) {
    throw new DocumentError('document_unreadable', { reason: (error as Error).message });
  }
}

/** Type réel du contenu (octets lus, pas le nom) : image ou PDF acceptés, sinon 422. */
async function sniff(bytes: Buffer): Promise<'pdf' | 'image'> {
  const mime = (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
  if (mime === 'application/pdf') return 'pdf';
  if (IMAGE_MIMES.includes(mime)) return 'image';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') throw new DocumentError('document_unreadable', { reason: 'damaged PDF' });
  throw new DocumentError('document_unsupported_type', { mime });
}

/** Contrôle avant la lecture (rapide) : type, taille, image décodable, PDF ouvrable, pages et pixels dans les limites. */
export async function checkDocument(bytes: Buffer, limits: DocumentLimits): Promise<void> {
  if (bytes.length > limits.maxBytes) throw new DocumentError('document_too_large', { max: limits.maxBytes });
  if ((await sniff(bytes)) === 'pdf') await checkPdf(bytes, limits);
  else await checkImage(bytes, limits);
}

/** OCR local d'une image, relu par le fournisseur routé si la lecture est faible. */
async function ocr(png: Buffer, upgrade: PageUpgrade | undefined): Promise<ReadPage> {
  const local = await ocrImage(png);
  return { ...(upgrade ? await upgrade(png, local) : local), source: 'ocr' };
}

async function readAll(bytes: Buffer, limits: DocumentLimits, signal: AbortSignal, upgrade?: PageUpgrade): Promise<ReadPage[]> {
  if ((await sniff(bytes)) === 'pdf') {
    const pages: ReadPage[] = [];
    for (const page of await pdfPages(bytes, limits, signal)) {
      signal.throwIfAborted();
      if (page.kind === 'text') pages.push({ text: page.text, confidence: 1, source: 'text' });
      else pages.push(await ocr(page.png, upgrade));
    }
    return pages;
  }
  return [await ocr(await checkImage(bytes, limits), upgrade)];
}

/** Lit le document dans les limites données ; au-delà de la durée permise, 422 document_timeout. */
export async function readDocument(bytes: Buffer, limits: DocumentLimits, outer?: AbortSignal, upgrade?: PageUpgrade): Promise<ReadResult> {
  if (bytes.length > limits.maxBytes) throw new DocumentError('document_too_large', { max: limits.maxBytes });
  const started = Date.now();
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  const expired = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(timeout.aborted ? new DocumentError('document_timeout', { seconds: limits.timeoutMs / 1000 }) : signal.reason), { once: true });
  });
  expired.catch(() => undefined);
  const pages = await Promise.race([readAll(bytes, limits, signal, upgrade), expired]);
  const confidence = pages.length ? pages.reduce((sum, p) => sum + p.confidence, 0) / pages.length : 0;
  return { pages, text: pages.map((p) => p.text).join('\n\f\n'), confidence, durationMs: Date.now() - started };
}
