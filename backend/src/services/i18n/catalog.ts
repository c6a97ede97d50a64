// Catalogues de traductions par langue : textes tirés des métadonnées (entités, champs, valeurs d'énumération), des
// messages de l'API et des modules actifs du tenant, puis remplacés par les traductions du tenant (entité
// `translation`). Servis avec une ETag ; les clés manquantes d'une langue sont listées par rapport à l'anglais.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant } from '../../db/transaction.js';
import type { Catalog } from '../../engine/registry.js';
import type { CatalogOf } from '../../engine/tenant-work.js';
import { MESSAGES } from '../../text/messages.js';
import type { ModuleRuntime } from '../../modules/runtime.js';

export type Texts = Record<string, string>;

export interface TranslationDeps {
  db: Db;
  catalog: CatalogOf;
  moduleRuntime: ModuleRuntime;
}

/** Textes du code pour une langue (`undefined` quand le code ne la fournit pas). */
function codeTexts(moduleRuntime: ModuleRuntime, catalog: Catalog, locale: string): Texts {
  const out: Texts = {};
  const put = (key: string, text: string | undefined) => {
    if (text) out[key] = text;
  };
  for (const model of catalog.all()) {
    put(`entity.${model.name}`, model.label[locale]);
    for (const field of model.fields) {
      if (field.def.internal) continue;
      put(`field.${model.name}.${field.name}`, field.def.label?.[locale]);
      // une valeur d'énumération se lit telle quelle en anglais ; les autres langues la traduisent
      if (locale === 'en') for (const value of field.def.options?.values ?? []) put(`enum.${model.name}.${field.name}.${value}`, value);
    }
  }
  for (const [code, texts] of Object.entries(MESSAGES)) put(`error.${code}`, (texts as Record<string, string>)[locale]);
  for (const name of catalog.modules) {
    for (const [key, text] of Object.entries(moduleRuntime.loaded(name)?.translations[locale] ?? {})) put(`${name}.${key}`, text);
  }
  return out;
}

export interface ServedCatalog {
  locale: string;
  texts: Texts;
  etag: string;
}

/** Catalogue d'une langue pour un tenant (ses traductions par-dessus celles du code). */
export async function catalogFor(deps: TranslationDeps, tenantId: string, locale: string): Promise<ServedCatalog> {
  const catalog = await deps.catalog(tenantId);
  const texts = codeTexts(deps.moduleRuntime, catalog, locale);
  const { rows } = await inTenant(deps.db, { tenantId }, (trx) => sql<{ key: string; text: string }>`
    SELECT key, text FROM translation WHERE locale = ${locale} AND deleted_at IS NULL`.execute(trx), { singleStatement: true });
  for (const row of rows) texts[row.key] = row.text;
  const sorted = Object.fromEntries(Object.entries(texts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { locale, texts: sorted, etag: `"${createHash('sha256').update(JSON.stringify(sorted)).digest('base64url').slice(0, 27)}"` };
}

/** Clés de l'anglais absentes de la langue demandée. */
export async function missingKeys(deps: TranslationDeps, tenantId: string, locale: string): Promise<string[]> {
  const [reference, target] = await Promise.all([catalogFor(deps, tenantId, 'en'), catalogFor(deps, tenantId, locale)]);
  return Object.keys(reference.texts).filter((key) => target.texts[key] === undefined);
}
