// Catalogue des modules disponibles : dossiers de `modules/` livrés avec la plateforme, et paquets téléversés (gardés
// en base, donc visibles de tous les nœuds). Chaque entrée dit où trouver le code sur ce nœud.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleManifest } from '@opsflux/sdk';
import { sql } from 'kysely';
import semver from 'semver';
import type { Db } from '../db/database.js';
import { ProblemError } from '../http/problem.js';
import type { Locale } from '../i18n/messages.js';
import { materialise, readArchive, sha256, invalidArchive, type ArchiveLimits } from './archive.js';
import { MANIFEST_FILE, parseManifestText } from './manifest.js';

export type ModuleSource = 'builtin' | 'upload';

export interface CatalogEntry {
  manifest: ModuleManifest;
  source: ModuleSource;
  /** builtin : dossier du module */
  dir?: string;
  /** upload : empreinte de l'archive */
  sha256?: string;
}

/** Fichier du code serveur d'un paquet construit (`opsflux module pack`). */
export const BUNDLED_BACKEND = 'dist/backend.mjs';

export interface CatalogOptions {
  builtinDir?: string;
  cacheDir: string;
  onError?: (error: unknown) => void;
}

export class ModuleCatalog {
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
    const { rows } = await sql<{ manifest: ModuleManifest; sha256: string }>`
      SELECT manifest, sha256 FROM module_package ORDER BY name, uploaded_at`.execute(this.db);
    return rows.map((r) => ({ manifest: r.manifest, source: 'upload', sha256: r.sha256 }));
  }

  async entries(): Promise<CatalogEntry[]> {
    return [...this.builtins(), ...(await this.uploads())];
  }

  /**
   * Dossier du code sur ce nœud (un paquet téléversé est extrait une fois dans le cache, par empreinte). `executor` :
   * la transaction en cours s'il y en a une (PGlite n'a qu'une connexion).
   */
  async locate(entry: CatalogEntry, executor: Db = this.db): Promise<string> {
    if (entry.dir) return entry.dir;
    const { rows } = await sql<{ archive: Buffer }>`SELECT archive FROM module_package
      WHERE name = ${entry.manifest.name} AND version = ${entry.manifest.version}`.execute(executor);
    const archive = rows[0]?.archive;
    if (!archive) throw new Error(`package ${entry.manifest.name} ${entry.manifest.version} is no longer stored`);
    return materialise(this.options.cacheDir, sha256(archive), await readArchive(Buffer.from(archive)));
  }

  /** Contrôle une archive téléversée et l'ajoute au catalogue ; renvoie son manifeste. */
  async upload(archive: Buffer, limits: ArchiveLimits, uploadedBy: string | null, locale: Locale): Promise<ModuleManifest> {
    const files = await readArchive(archive, limits);
    const text = files.get(MANIFEST_FILE);
    if (!text) throw invalidArchive(`${MANIFEST_FILE} is missing at the root of the archive`);
    const manifest = parseManifestText(text.toString('utf8'), locale);
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
    await sql`INSERT INTO module_package (name, version, manifest, archive, sha256, uploaded_by)
      VALUES (${manifest.name}, ${manifest.version}, ${JSON.stringify(manifest)}::jsonb, ${archive}, ${sha256(archive)}, ${uploadedBy})
      ON CONFLICT DO NOTHING`.execute(this.db);
    return manifest;
  }
}

/** Versions d'un module dans le catalogue, la plus récente d'abord. */
export function versionsOf(entries: CatalogEntry[], name: string): CatalogEntry[] {
  return entries.filter((e) => e.manifest.name === name).sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version));
}
