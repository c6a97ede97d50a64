// PDF : la couche texte d'abord (lignes refaites d'après la position des mots), l'image d'une page sans texte
// seulement (scan), rendue par pdf.js (unpdf) sur @napi-rs/canvas puis lue par l'OCR. Le nombre de pages et la taille
// des pages sont vérifiés avant tout rendu : une bombe PDF est refusée sans être dessinée.
import { getDocumentProxy, renderPageAsImage } from 'unpdf';
import { DocumentError } from './errors.js';
import type { DocumentLimits } from './limits.js';

/** Résolution du rendu d'une page scannée : 2 × 72 dpi = 144 dpi, assez pour l'OCR. */
const RENDER_SCALE = 2;
/** Moins de caractères que cela sur une page : elle est tenue pour scannée. */
const MIN_TEXT_CHARS = 20;

export type PdfPage = { kind: 'text'; text: string } | { kind: 'image'; png: Buffer };

interface TextItem { str: string; transform: number[]; width: number; height: number }

/** Regroupe les morceaux de texte en lignes (même ordonnée, à la hauteur près), dans l'ordre de lecture. */
export function linesOf(items: TextItem[]): string {
  const words = items.filter((i) => i.str.trim() !== '').map((i) => ({ x: i.transform[4]!, y: i.transform[5]!, h: Math.abs(i.height) || 10, w: i.width, s: i.str }));
  words.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: (typeof words)[] = [];
  for (const word of words) {
    const line = lines.find((l) => Math.abs(l[0]!.y - word.y) < l[0]!.h * 0.5);
    if (line) line.push(word);
    else lines.push([word]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    let out = '';
    let end = -Infinity;
    for (const word of line) {
      // un grand blanc entre deux morceaux : plusieurs espaces (colonnes), comme dans le texte d'OCR
      if (out) out += word.x - end > word.h * 2 ? '   ' : word.x - end > word.h * 0.15 ? ' ' : '';
      out += word.s;
      end = word.x + word.w;
    }
    return out;
  }).join('\n');
}

async function open(bytes: Buffer) {
  try {
    return await getDocumentProxy(new Uint8Array(bytes), {
      useSystemFonts: false, disableFontFace: true,
      // pas de polices standard embarquées : leur absence n'empêche ni la lecture du texte ni le rendu des scans
      verbosity: 0,
    });
  } catch (error) {
    throw new DocumentError('document_unreadable', { reason: (error as Error).message });
  }
}

/** Contrôle rapide avant la mise en file : PDF lisible, nombre de pages et taille de chaque page dans les limites. */
export async function checkPdf(bytes: Buffer, limits: DocumentLimits): Promise<number> {
  const doc = await open(bytes);
  try {
    if (doc.numPages > limits.maxPages) throw new DocumentError('document_too_many_pages', { pages: doc.numPages, max: limits.maxPages });
    for (let n = 1; n <= doc.numPages; n++) {
      const { width, height } = (await doc.getPage(n)).getViewport({ scale: RENDER_SCALE });
      const pixels = Math.round(width * height);
      if (!Number.isFinite(pixels) || pixels > limits.maxPixels) throw new DocumentError('document_page_too_large', { pixels, max: limits.maxPixels });
    }
    return doc.numPages;
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError('document_unreadable', { reason: (error as Error).message });
  } finally {
    await doc.cleanup().catch(() => undefined);
  }
}

/** Les pages d'un PDF : texte, ou image à lire. */
export async function pdfPages(bytes: Buffer, limits: DocumentLimits, signal?: AbortSignal): Promise<PdfPage[]> {
  const doc = await open(bytes);
  try {
    if (doc.numPages > limits.maxPages) throw new DocumentError('document_too_many_pages', { pages: doc.numPages, max: limits.maxPages });
    const pages: PdfPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      signal?.throwIfAborted();
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = linesOf(content.items.filter((i) => 'str' in i) as TextItem[]);
      if (text.replace(/\s/g, '').length >= MIN_TEXT_CHARS) {
        pages.push({ kind: 'text', text });
        continue;
      }
      const { width, height } = page.getViewport({ scale: RENDER_SCALE });
      const pixels = Math.round(width * height);
      if (!Number.isFinite(pixels) || pixels > limits.maxPixels) throw new DocumentError('document_page_too_large', { pixels, max: limits.maxPixels });
      const png = await renderPageAsImage(doc, n, { canvasImport: () => import('@napi-rs/canvas'), scale: RENDER_SCALE });
      pages.push({ kind: 'image', png: Buffer.from(png) });
    }
    return pages;
  } finally {
    await doc.cleanup().catch(() => undefined);
  }
}
