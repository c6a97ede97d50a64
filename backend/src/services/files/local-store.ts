// Stockage des contenus sur disque local : `<racine>/<tenant>/<ab>/<sha256>`. Un contenu n'est écrit qu'une fois
// (dédoublonnage) ; l'écriture passe par un fichier temporaire renommé.
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { contentKey, type FileStore } from './store.js';

export class LocalFileStore implements FileStore {
  constructor(readonly root: string) {}

  private path(tenantId: string, sha256: string, variant?: string): string {
    return join(this.root, contentKey(tenantId, sha256, variant));
  }

  /** Dossier des fichiers en cours de réception (même disque : le renommage est atomique). */
  incoming(): string {
    const dir = join(this.root, '.incoming');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async keep(tenantId: string, sha256: string, received: string): Promise<void> {
    const target = this.path(tenantId, sha256);
    if (existsSync(target)) {
      rmSync(received, { force: true });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    renameSync(received, target);
  }

  async derived(tenantId: string, sha256: string, variant: string, make: (source: string, target: string) => Promise<void>): Promise<Readable> {
    const target = this.path(tenantId, sha256, variant);
    if (!existsSync(target)) {
      const staging = join(this.incoming(), `${sha256}.${variant}.${process.pid}.${Date.now()}`);
      await make(this.path(tenantId, sha256), staging);
      renameSync(staging, target);
    }
    return createReadStream(target);
  }

  async size(tenantId: string, sha256: string): Promise<number> {
    return statSync(this.path(tenantId, sha256)).size;
  }

  async read(tenantId: string, sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    return createReadStream(this.path(tenantId, sha256), range);
  }
}
