// Chargement d'un module depuis son dossier : code serveur (paquet construit ou sources TypeScript livrées),
// traductions et migrations SQL ; le code doit tenir ce que le manifeste annonce.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleDefinition, ModuleManifest } from '@opsflux/sdk';
import type { Migration } from '../db/migrations/runner.js';
import { BUNDLED_BACKEND } from './catalog.js';
import { validCron } from './tasks.js';

export type Translations = Record<string, Record<string, string>>;

export interface LoadedModule {
  manifest: ModuleManifest;
  definition: ModuleDefinition;
  translations: Translations;
  migrations: Migration[];
  dir: string;
}

const BACKEND_ENTRIES = [BUNDLED_BACKEND, 'backend/index.ts', 'backend/index.js'];
const MIGRATION_FILE = /^(\d{1,6})-([a-z0-9][a-z0-9_-]{0,80})\.sql$/;

export class ModuleLoadError extends Error {}

export async function loadModule(dir: string, manifest: ModuleManifest): Promise<LoadedModule> {
  const definition = await importDefinition(dir, manifest.name);
  checkAgainstManifest(manifest, definition);
  return { manifest, definition, translations: readTranslations(dir, manifest), migrations: readMigrations(dir), dir };
}

async function importDefinition(dir: string, name: string): Promise<ModuleDefinition> {
  const entry = BACKEND_ENTRIES.map((file) => join(dir, file)).find((file) => existsSync(file));
  if (!entry) return {};
  const exported = (await import(pathToFileURL(entry).href)) as { default?: ModuleDefinition };
  if (!exported.default || typeof exported.default !== 'object') throw new ModuleLoadError(`module ${name}: ${entry} has no default export (defineModule)`);
  return exported.default;
}

/** Le manifeste est le contrat : entités, extensions, crochets, réglages et tâches du code y sont tous annoncés. */
function checkAgainstManifest(manifest: ModuleManifest, definition: ModuleDefinition): void {
  const compare = (what: string, declared: string[] | undefined, coded: string[]) => {
    const listed = new Set(declared ?? []);
    const missing = coded.filter((n) => !listed.has(n));
    const absent = [...listed].filter((n) => !coded.includes(n));
    if (missing.length || absent.length) {
      const parts = [missing.length ? `not in metadata.json: ${missing.join(', ')}` : '', absent.length ? `not in the code: ${absent.join(', ')}` : ''];
      throw new ModuleLoadError(`module ${manifest.name}: ${what} ${parts.filter(Boolean).join('; ')}`);
    }
  };
  compare('entities', manifest.entities, (definition.entities ?? []).map((e) => e.name));
  compare('extensions', manifest.extends, [...new Set((definition.extensions ?? []).map((e) => e.entity))]);
  compare('hooks', manifest.hooks, (definition.hooks ?? []).map((h) => h.name));
  compare('settings', manifest.settings, (definition.settings ?? []).map((s) => s.key));
  compare('aiTools', manifest.aiTools, (definition.aiTools ?? []).map((t) => t.name));
  compare('tasks', manifest.tasks?.map((t) => t.name), (definition.tasks ?? []).map((t) => t.name));
  const badCron = (manifest.tasks ?? []).filter((t) => !validCron(t.cron));
  if (badCron.length) throw new ModuleLoadError(`module ${manifest.name}: invalid cron expression for ${badCron.map((t) => `${t.name} ("${t.cron}")`).join(', ')}`);
}

function readTranslations(dir: string, manifest: ModuleManifest): Translations {
  const out: Translations = {};
  for (const [locale, file] of Object.entries(manifest.translations ?? {})) {
    const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new ModuleLoadError(`module ${manifest.name}: ${file} must be an object of texts`);
    }
    out[locale] = parsed as Record<string, string>;
  }
  return out;
}

/**
 * Migrations `migrations/NNN-nom.sql`, jouées dans l'ordre des numéros. Une instruction se termine par un `;` en fin
 * de ligne (les corps de fonctions entre `$$` restent entiers).
 */
export function readMigrations(dir: string): Migration[] {
  const folder = join(dir, 'migrations');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).sort().flatMap((file) => {
    const match = MIGRATION_FILE.exec(file);
    if (!match) return [];
    return [{ version: Number(match[1]), name: match[2]!, statements: splitStatements(readFileSync(join(folder, file), 'utf8')) }];
  });
}

export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let dollar = false;
  for (const line of text.split('\n')) {
    if (!dollar && /^\s*--/.test(line)) continue;
    current.push(line);
    dollar = ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) !== dollar;
    if (!dollar && /;\s*$/.test(line)) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements.filter(Boolean);
}
