// Catalogue des modules disponibles : dossiers de `modules/` livrés avec la plateforme, et paquets téléversés (gardés
// en base, donc visibles de tous les nœuds). Chaque entrée dit où trouver le code sur ce nœud.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleManifest } from '@opsflux/sdk';
import type { Response } from 'undici';
import { sql, type RawBuilder } from 'kysely';
import semver from 'semver';
import type { Db } from '../db/database.js';
import { platformStatement } from '../db/transaction.js';
import { ProblemError } from '../errors/problem.js';
import type { Locale } from '../text/messages.js';
import type { OutboundRequest } from '../services/outbound/http.js';
import { materialise, readArchive, sha256, invalidArchive, type ArchiveLimits } from './archive.js';
import { MANIFEST_FILE, parseManifest, parseManifestText } from './manifest.js';

/** remote : catalogue distant ; le paquet est téléchargé puis gardé comme un paquet téléversé */
export type ModuleSource = 'builtin' | 'upload' | 'remote';

export interface CatalogEntry {
  manifest: ModuleManifest;
  source: ModuleSource;
  /** builtin : dossier du module */
  dir?: string;
  /** upload, remote : empreinte de l'archive */
  sha256?: string;
  /** remote : adresse de l'archive */
  url?: string;
}

/** Catalogue distant (réglage `modules.catalog.url`) : `{ "modules": [{ manifest, url, sha256 }] }`. */
export interface RemoteSource {
  url(): Promise<string | null>;
  maxBytes(): Promise<number>;
  /** durée de conservation de la liste lue (réglage `modules.catalog.cacheSeconds`) ; absent : une minute */
  cacheMs?(): Promise<number>;
  /** délai de réponse, liste ou paquet (réglage `modules.catalog.timeoutSeconds`) ; absent : dix secondes */
  timeoutMs?(): Promise<number>;
  /** lecture par les connexions sortantes gardées (catalogue et paquets qu'il désigne) */
  fetch(url: string, init: OutboundRequest): Promise<Response>;
}

const DEFAULT_CACHE_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
// redirections suivies : une chaîne plus longue est une erreur de configuration, pas une limite à régler
const REMOTE_REDIRECTS = 5;
// paquet téléchargé sans source réglée (tests) ; la plateforme donne `modules.upload.maxMegabytes`
const DEFAULT_PACKAGE_BYTES = 20 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

/** Fichier du code serveur d'un paquet construit (`opsflux module pack`). */
export const BUNDLED_BACKEND = 'dist/backend.mjs';

export interface CatalogOptions {
  builtinDir?: string;
  cacheDir: string;
  remote?: RemoteSource;
  /** taille maximale d'un manifeste téléversé ou téléchargé (réglage `modules.manifest.maxKilobytes`) */
  manifestMaxBytes?: () => Promise<number>;
  onError?: (error: unknown) => void;
}

export class ModuleCatalog {
  private remoteCache?: { url: string; at: number; entries: Promise<CatalogEntry[]> };

  constructor(private readonly db: Db, private readonly options: CatalogOptions) {}

  /** Modules livrés : un dossier par module avec son metadata.json (les manifestes invalides sont signalés et ignorés). */
  builtins(): CatalogEntry[] {
    const root = this.options.builtinDir;
    if (!root || !existsSync(root)) return [];
    const entries: CatalogEntry[] = [];
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      const file = join(dir, MANIFEST_FILE);
      if (!existsSync(file)) continue;
      try {
        entries.push({ manifest: parseManifestText(readFileSync(file, 'utf8')), source: 'builtin', dir });
      } catch (error) {
        this.options.onError?.(new Error(`module ${name}: invalid ${MANIFEST_FILE} (${(error as Error).message})`, { cause: error }));
      }
    }
    return entries;
  }

  async uploads(): Promise<CatalogEntry[]> {
    const { rows } = await platformStatement(this.db, sql<{ manifest: ModuleManifest; sha256: string }>`
      SELECT manifest, sha256 FROM module_package ORDER BY name, uploaded_at`);
    return rows.map((r) => ({ manifest: r.manifest, source: 'upload', sha256: r.sha256 }));
  }

  async entries(): Promise<CatalogEntry[]> {
    const local = [...this.builtins(), ...(await this.uploads())];
    const known = new Set(local.map((e) => `${e.manifest.name}@${e.manifest.version}`));
    const remote = (await this.remoteEntries()).filter((e) => !known.has(`${e.manifest.name}@${e.manifest.version}`));
    return [...local, ...remote];
  }

  /**
   * Entrées du catalogue distant, relues au plus une fois par `modules.catalog.cacheSeconds` ; un catalogue injoignable
   * est signalé et ignoré.
   */
  private async remoteEntries(): Promise<CatalogEntry[]> {
    const url = await this.options.remote?.url();
    if (!url) return [];
    const cached = this.remoteCache;
    const cacheMs = (await this.options.remote?.cacheMs?.()) ?? DEFAULT_CACHE_MS;
    if (cached && cached.url === url && Date.now() - cached.at < cacheMs) return cached.entries;
    const entries = this.fetchRemote(url).catch((error: unknown) => {
      this.options.onError?.(new Error(`remote module catalog ${url}: ${(error as Error).message}`, { cause: error }));
      return [];
    });
    this.remoteCache = { url, at: Date.now(), entries };
    return entries;
  }

  private async fetchRemote(url: string): Promise<CatalogEntry[]> {
    const response = await this.remote().fetch(url, { signal: AbortSignal.timeout(await this.timeoutMs()), headers: { accept: 'application/json' }, maxRedirects: REMOTE_REDIRECTS });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as { modules?: unknown };
    if (!Array.isArray(body.modules)) throw new Error('expected { "modules": [...] }');
    return body.modules.flatMap((item: { manifest?: unknown; url?: unknown; sha256?: unknown }): CatalogEntry[] => {
      try {
        if (typeof item.url !== 'string' || typeof item.sha256 !== 'string' || !SHA256.test(item.sha256)) throw new Error('url and sha256 are required');
        return [{ manifest: parseManifest(item.manifest), source: 'remote', url: new URL(item.url, url).href, sha256: item.sha256 }];
      } catch (error) {
        this.options.onError?.(new Error(`remote module catalog ${url}: entry skipped (${(error as Error).message})`));
        return [];
      }
    });
  }

  private async timeoutMs(): Promise<number> {
    return (await this.options.remote?.timeoutMs?.()) ?? DEFAULT_TIMEOUT_MS;
  }

  private async manifestMaxBytes(): Promise<number | undefined> {
    return this.options.manifestMaxBytes?.();
  }

  private remote(): RemoteSource {
    if (!this.options.remote) throw new Error('no remote module catalog is configured');
    return this.options.remote;
  }

  /** Télécharge un paquet du catalogue distant, vérifie son empreinte et le garde comme un paquet téléversé. */
  private async download(entry: CatalogEntry, executor: Db): Promise<void> {
    const limit = (await this.options.remote?.maxBytes()) ?? DEFAULT_PACKAGE_BYTES;
    const response = await this.remote().fetch(entry.url!, { signal: AbortSignal.timeout(await this.timeoutMs()), maxRedirects: REMOTE_REDIRECTS });
    if (!response.ok) throw new Error(`download of ${entry.url} failed: HTTP ${response.status}`);
    const archive = Buffer.from(await response.arrayBuffer());
    if (archive.length > limit) throw new Error(`${entry.url} is larger than ${limit} bytes`);
    if (sha256(archive) !== entry.sha256) throw new Error(`${entry.url} does not match its sha256 in the catalog`);
    const files = await readArchive(archive);
    const inside = parseManifestText(files.get(MANIFEST_FILE)?.toString('utf8') ?? '', 'en', await this.manifestMaxBytes());
    if (inside.name !== entry.manifest.name || inside.version !== entry.manifest.version) throw new Error(`${entry.url} holds ${inside.name} ${inside.version}`);
    await this.statement(sql`INSERT INTO module_package (name, version, manifest, archive, sha256)
      VALUES (${inside.name}, ${inside.version}, ${JSON.stringify(inside)}::jsonb, ${archive}, ${entry.sha256})
      ON CONFLICT DO NOTHING`, executor);
  }

  /** Instruction sur les paquets : dans la transaction donnée, sinon seule sous le rôle de plateforme. */
  private statement<R>(query: RawBuilder<R>, executor: Db) {
    return executor === this.db ? platformStatement(this.db, query) : query.execute(executor);
  }

  /**
   * Dossier du code sur ce nœud (un paquet téléversé est extrait une fois dans le cache, par empreinte). `executor` :
   * la transaction en cours s'il y en a une (PGlite n'a qu'une connexion), passée au rôle de plateforme par l'appelant.
   */
  async locate(entry: CatalogEntry, executor: Db = this.db): Promise<string> {
    if (entry.dir) return entry.dir;
    if (entry.source === 'remote') await this.download(entry, executor);
    const { rows } = await this.statement(sql<{ archive: Buffer }>`SELECT archive FROM module_package
      WHERE name = ${entry.manifest.name} AND version = ${entry.manifest.version}`, executor);
    const archive = rows[0]?.archive;
    if (!archive) throw new Error(`package ${entry.manifest.name} ${entry.manifest.version} is no longer stored`);
    return materialise(this.options.cacheDir, sha256(archive), await readArchive(Buffer.from(archive)));
  }

  /** Contrôle une archive téléversée et l'ajoute au catalogue ; renvoie son manifeste. */
  async upload(archive: Buffer, limits: ArchiveLimits, uploadedBy: string | null, locale: Locale): Promise<ModuleManifest> {
    const files = await readArchive(archive, limits);
    const text = files.get(MANIFEST_FILE);
    if (!text) throw invalidArchive(`${MANIFEST_FILE} is missing at the root of the archive`);
    const manifest = parseManifestText(text.toString('utf8'), locale, await this.manifestMaxBytes());
    const wanted = [
      ...Object.values(manifest.translations ?? {}),
      ...(manifest.frontend ? [manifest.frontend.entry] : []),
    ];
    for (const path of wanted) if (!files.has(path)) throw invalidArchive(`${path}, named in ${MANIFEST_FILE}, is missing`);
    if ([...files.keys()].some((p) => p.startsWith('backend/')) && !files.has(BUNDLED_BACKEND)) {
      throw invalidArchive(`backend sources without ${BUNDLED_BACKEND}: build the package with "opsflux module pack"`);
    }
    const taken = (await this.entries()).some((e) => e.manifest.name === manifest.name && semver.eq(e.manifest.version, manifest.version));
    if (taken) throw new ProblemError(409, 'already_exists', `${manifest.name} ${manifest.version} is already in the catalog`);
    await platformStatement(this.db, sql`INSERT INTO module_package (name, version, manifest, archive, sha256, uploaded_by)
      VALUES (${manifest.name}, ${manifest.version}, ${JSON.stringify(manifest)}::jsonb, ${archive}, ${sha256(archive)}, ${uploadedBy})
      ON CONFLICT DO NOTHING`);
    return manifest;
  }
}

/** Versions d'un module dans le catalogue, la plus récente d'abord. */
export function versionsOf(entries: CatalogEntry[], name: string): CatalogEntry[] {
  return entries.filter((e) => e.manifest.name === name).sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version));
}
