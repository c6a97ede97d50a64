// Données de langue de Tesseract (français, anglais) livrées par les paquets npm @tesseract.js-data/* : aucun
// téléchargement. tesseract.js ne lit qu'un dossier (`langPath`) : un dossier temporaire reçoit un lien vers chaque
// fichier du paquet (modèle LSTM « best_int », compressé).
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const OCR_LANGUAGES = ['eng', 'fra'] as const;

let prepared: string | undefined;

/** Dossier des données de langue, préparé une fois par processus. */
export function tessdataDir(): string {
  if (prepared) return prepared;
  const dir = path.join(os.tmpdir(), `opsflux-tessdata-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  for (const lang of OCR_LANGUAGES) {
    const source = require.resolve(`@tesseract.js-data/${lang}/4.0.0_best_int/${lang}.traineddata.gz`);
    const target = path.join(dir, `${lang}.traineddata.gz`);
    if (!existsSync(target)) symlinkSync(source, target);
  }
  prepared = dir;
  return dir;
}
