// Banc de la lecture de documents (scénario `ocr`) : pages d'OCR par seconde (worker tesseract.js unique, chauffé),
// sur les factures générées de la suite (PNG 144 dpi, une tournée, une bruitée), et pages de PDF à couche texte
// par seconde (sans OCR). Aucun serveur : le moteur seul, tel que le travail l'appelle.
import { DEFAULT_DOCUMENT_LIMITS } from '../backend/src/ai/local/documents/limits.js';
import { extractInvoice } from '../backend/src/ai/local/documents/invoice-extractor.js';
import { ocrImage, stopOcr } from '../backend/src/ai/local/documents/ocr-engine.js';
import { readDocument } from '../backend/src/ai/local/documents/read-document.js';
import { renderPdf, renderPng, sampleInvoices } from '../backend/test/support/invoices.js';

export interface OcrBenchResult {
  ocrPages: number;
  ocrPagesPerSecond: number;
  textPages: number;
  textPagesPerSecond: number;
}

export async function benchOcr(rounds = 2): Promise<OcrBenchResult> {
  const specs = sampleInvoices();
  const images = specs.map((spec) => renderPng(spec));
  const pdfs = await Promise.all(specs.map((spec) => renderPdf(spec, 'text')));
  await ocrImage(images[4]!); // chauffe : worker, modèle, données de langue
  let started = performance.now();
  let ocrPages = 0;
  for (let r = 0; r < rounds; r++) {
    for (const image of images) {
      extractInvoice((await readDocument(image, DEFAULT_DOCUMENT_LIMITS)).text);
      ocrPages++;
    }
  }
  const ocrSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  let textPages = 0;
  for (let r = 0; r < rounds * 10; r++) {
    for (const pdf of pdfs) {
      extractInvoice((await readDocument(pdf, DEFAULT_DOCUMENT_LIMITS)).text);
      textPages++;
    }
  }
  const textSeconds = (performance.now() - started) / 1000;
  await stopOcr();
  const round = (v: number) => Math.round(v * 100) / 100;
  return { ocrPages, ocrPagesPerSecond: round(ocrPages / ocrSeconds), textPages, textPagesPerSecond: round(textPages / textSeconds) };
}

export function reportOcr(result: OcrBenchResult): string[] {
  return [
    '\ndocuments (local OCR with tesseract.js, one worker; invoice extraction included)',
    `  OCR                ${String(result.ocrPagesPerSecond).padStart(7)} pages/s  (${result.ocrPages} generated invoice pages, 144 dpi)`,
    `  PDF text layer     ${String(result.textPagesPerSecond).padStart(7)} pages/s  (${result.textPages} pages, no OCR)`,
  ];
}
