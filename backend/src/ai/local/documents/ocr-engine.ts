// Reconnaissance de texte locale : un seul worker tesseract.js par processus (le modèle occupe ~100 Mo et un cœur),
// créé à la première page, les pages passant l'une après l'autre. Tout est lu sur le disque (worker du paquet, cœur
// WASM requis depuis tesseract.js-core sous Node, données de langue des paquets npm) : aucun accès réseau. Une page peu lisible est relue après un nettoyage (filtre
// médian, seuillage), et la meilleure lecture est gardée.
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { Worker } from 'tesseract.js';
import { OCR_LANGUAGES, tessdataDir } from './tessdata.js';

const require = createRequire(import.meta.url);

export interface OcrPage {
  text: string;
  /** confiance moyenne de Tesseract, 0 à 1 */
  confidence: number;
}

/** En dessous de cette confiance, la page est relue après nettoyage. */
const RETRY_BELOW = 0.75;

let worker: Promise<Worker> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function localPaths() {
  const root = path.dirname(require.resolve('tesseract.js/package.json'));
  return {
    workerPath: path.join(root, 'src', 'worker-script', 'node', 'index.js'),
    langPath: tessdataDir(),
    cacheMethod: 'none',
    gzip: true,
  };
}

function getWorker(): Promise<Worker> {
  // tesseract.js chargé à la première lecture (démarrage plus court)
  worker ??= import('tesseract.js').then(({ createWorker, OEM }) => createWorker([...OCR_LANGUAGES], OEM.LSTM_ONLY, localPaths())).catch((error: unknown) => {
    worker = undefined;
    throw error;
  });
  return worker;
}

async function recognise(image: Buffer): Promise<OcrPage> {
  const w = await getWorker();
  const { data } = await w.recognize(image, { rotateAuto: true });
  return { text: data.text, confidence: data.confidence / 100 };
}

/** Nettoyage d'un scan bruité : niveaux de gris, médiane 3×3, seuil. */
function cleaned(image: Buffer): Promise<Buffer> {
  return sharp(image).grayscale().median(3).normalise().threshold(150).png().toBuffer();
}

/** Lit une image (PNG, JPEG, WebP, TIFF…) ; les appels sont mis en file sur le worker unique. */
export function ocrImage(image: Buffer): Promise<OcrPage> {
  const run = queue.then(async () => {
    const first = await recognise(image);
    if (first.confidence >= RETRY_BELOW) return first;
    const second = await recognise(await cleaned(image));
    return second.confidence > first.confidence ? second : first;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Arrête le worker (fin des tests, arrêt du serveur). */
export async function stopOcr(): Promise<void> {
  const current = worker;
  worker = undefined;
  if (current) await (await current).terminate().catch(() => undefined);
}

export const OCR_ENGINE = `tesseract.js ${(require('tesseract.js/package.json') as { version: string }).version}`;
