// Stockage des contenus sur disque local, adressés par tenant et empreinte : `<racine>/<tenant>/<ab>/<sha256>`.
// Un contenu n'est écrit qu'une fois (dédoublonnage) ; l'écriture passe par un fichier temporaire renommé.
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, type ReadStream } from 'node:fs';
import { join } from 'node:path';

export class LocalFileStore {
  constructor(readonly root: string) {}

  private path(tenantId: string, sha256: string): string {
    return join(this.root, tenantId, sha256.slice(0, 2), sha256);
  }

  /** Dossier des fichiers en cours de réception (même disque : le renommage est atomique). */
  incoming(): string {
    const dir = join(this.root, '.incoming');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Range le fichier reçu sous son empreinte (ou l'efface si le contenu est déjà là). */
  keep(tenantId: string, sha256: string, received: string): void {
    const target = this.path(tenantId, sha256);
    if (existsSync(target)) {
      rmSync(received, { force: true });
      return;
    }
    mkdirSync(join(this.root, tenantId, sha256.slice(0, 2)), { recursive: true });
    renameSync(received, target);
  }

  /** Chemin d'un contenu (lecture par une bibliothèque, comme sharp pour les vignettes). */
  file(tenantId: string, sha256: string): string {
    return this.path(tenantId, sha256);
  }

  /** Vignette d'un contenu, produite une fois par taille par `make` (écrit dans le chemin donné) et gardée. */
  async derived(tenantId: string, sha256: string, variant: string, make: (target: string) => Promise<void>): Promise<string> {
    const target = join(this.root, tenantId, sha256.slice(0, 2), `${sha256}.${variant}`);
    if (existsSync(target)) return target;
    const staging = join(this.incoming(), `${sha256}.${variant}.${process.pid}.${Date.now()}`);
    await make(staging);
    renameSync(staging, target);
    return target;
  }

  size(tenantId: string, sha256: string): number {
    return statSync(this.path(tenantId, sha256)).size;
  }

  read(tenantId: string, sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.path(tenantId, sha256), range);
  }
}
