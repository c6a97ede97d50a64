// Stockage des contenus de fichiers, adressés par tenant et empreinte SHA-256 : disque local ou service compatible S3.
import type { Readable } from 'node:stream';

export interface FileStore {
  /** Dossier local des fichiers en cours de réception (avant leur rangement par `keep`). */
  incoming(): string;
  /** Range le fichier reçu sous son empreinte (rien si le contenu est déjà là) ; le fichier local est consommé. */
  keep(tenantId: string, sha256: string, received: string): Promise<void>;
  size(tenantId: string, sha256: string): Promise<number>;
  read(tenantId: string, sha256: string, range?: { start: number; end: number }): Promise<Readable>;
  /**
   * Contenu dérivé (vignette) produit une fois par variante : `make` lit le contenu d'origine (chemin local) et écrit
   * la variante au chemin cible ; renvoie la variante à lire.
   */
  derived(tenantId: string, sha256: string, variant: string, make: (source: string, target: string) => Promise<void>): Promise<Readable>;
}

/** Clé d'un contenu : `<tenant>/<ab>/<sha256>[.variante]`. */
export function contentKey(tenantId: string, sha256: string, variant?: string): string {
  return `${tenantId}/${sha256.slice(0, 2)}/${sha256}${variant ? `.${variant}` : ''}`;
}
