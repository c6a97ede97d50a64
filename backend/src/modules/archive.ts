// Paquets de modules (.tgz) lus en mémoire, jamais extraits tels quels : chemins relatifs sans `..`, fichiers et
// dossiers seulement (ni liens symboliques, ni liens durs, ni périphériques), nombre de fichiers et taille bornés.
// L'extraction écrit ensuite nous-mêmes ces fichiers contrôlés dans un dossier de cache adressé par empreinte.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { ProblemError } from '../errors/problem.js';

export interface ArchiveLimits {
  /** taille totale décompressée */
  maxUnpackedBytes: number;
  maxFiles: number;
}

// garde-fou contre les archives piégées (bombes de décompression) ; la taille du paquet envoyé est réglée (modules.upload.maxMegabytes)
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxUnpackedBytes: 100 * 1024 * 1024, maxFiles: 5000 };

const SAFE_SEGMENT = /^[A-Za-z0-9@._+-]{1,200}$/;
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const IGNORED_TYPES = new Set(['Directory', 'ExtendedHeader', 'GlobalExtendedHeader', 'NextFileHasLongPath', 'NextFileHasLongLinkpath', 'OldExtendedHeader']);

export const invalidArchive = (detail: string) => new ProblemError(400, 'invalid_archive', detail);

/** Chemin normalisé d'une entrée (sans `./` de tête), ou raison du refus. */
export function entryPath(raw: string): string {
  const path = raw.replace(/^\.\//, '').replace(/\/$/, '');
  if (!path || path.includes('\\') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalidArchive(`unsafe path "${raw}"`);
  for (const segment of path.split('/')) {
    if (segment === '..' || segment === '.' || !SAFE_SEGMENT.test(segment)) throw invalidArchive(`unsafe path "${raw}"`);
  }
  return path;
}

/** Fichiers d'une archive tar (gzip ou non), contrôlés. */
export function readArchive(archive: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    let total = 0;
    let failure: Error | undefined;
    const parser = new Parser({ strict: true });
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      reject(error);
      parser.abort(error);
    };
    parser.on('entry', (entry: ReadEntry) => {
      try {
        if (failure) return entry.resume();
        if (IGNORED_TYPES.has(entry.type)) return entry.resume();
        const path = entryPath(entry.path);
        if (!FILE_TYPES.has(entry.type)) throw invalidArchive(`"${path}" is a ${entry.type}: only files and folders are allowed`);
        if (files.has(path)) throw invalidArchive(`"${path}" appears twice`);
        if (files.size >= limits.maxFiles) throw invalidArchive(`more than ${limits.maxFiles} files`);
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > limits.maxUnpackedBytes) fail(invalidArchive(`more than ${limits.maxUnpackedBytes} bytes once unpacked`));
          else chunks.push(chunk);
        });
        entry.on('end', () => files.set(path, Buffer.concat(chunks)));
      } catch (error) {
        entry.resume();
        fail(error as Error);
      }
    });
    parser.on('error', (error: Error) => fail(failure ?? invalidArchive(`not a valid .tgz archive (${error.message})`)));
    parser.on('warn', (_code: string, message: string) => fail(invalidArchive(`not a valid .tgz archive (${message})`)));
    const finish = () => {
      if (failure) return;
      if (files.size) resolve(files);
      else fail(invalidArchive('empty archive'));
    };
    parser.on('end', finish);
    parser.on('close', finish);
    parser.end(archive);
  });
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Écrit les fichiers contrôlés dans `root/<empreinte>` (une fois ; atomique par renommage) et renvoie ce dossier. */
export function materialise(root: string, digest: string, files: Map<string, Buffer>): string {
  const target = join(root, digest);
  if (existsSync(target)) return target;
  const staging = `${target}.${process.pid}.${Date.now()}.tmp`;
  for (const [path, content] of files) {
    const file = join(staging, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error; // un autre processus l'a écrit entre-temps : même contenu
  }
  return target;
}
