// Réception d'un fichier en flux : écrit sur disque à mesure, empreinte SHA-256 et taille calculées au passage, type
// déterminé par le contenu (jamais par le nom ni par l'en-tête du client), nom nettoyé.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';

export interface ReceivedFile {
  path: string;
  sha256: string;
  size: number;
  mime: string;
}

/** Nom d'affichage sûr : sans dossiers (`../`, `C:\\`), sans caractères de contrôle, borné. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/^\.+/, '').trim().slice(0, 255);
  return clean || 'file';
}

export async function receive(stream: Readable, dir: string): Promise<ReceivedFile> {
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(stream, meter, createWriteStream(path));
  return { path, sha256: hash.digest('hex'), size, mime: await sniff(path) };
}

/** Type du contenu d'après ses premiers octets ; texte UTF-8 sans octet nul, sinon binaire inconnu. */
async function sniff(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4100);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sample = head.subarray(0, bytesRead);
    const detected = await fileTypeFromBuffer(sample);
    if (detected) return detected.mime;
    if (!sample.includes(0) && Buffer.from(sample.toString('utf8'), 'utf8').equals(sample)) return 'text/plain';
    return 'application/octet-stream';
  } finally {
    await handle.close();
  }
}
