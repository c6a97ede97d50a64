// Textes d'une notification : donnés dans les deux langues, ou par clé de traduction résolue à l'écriture (traduction
// du tenant, sinon texte du module propriétaire de la clé `module.clé`, sinon la clé elle-même). Les paramètres
// `{nom}` sont remplacés ; le résultat est rangé en JSON { en, fr }.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import type { NotificationText } from './types.js';

/** Modules chargés sur ce nœud (textes des clés `module.clé`), lus au moment de l'écriture. */
export interface NotificationTextDeps {
  moduleRuntime: () => ModuleRuntime;
}

export interface StoredText {
  en: string;
  fr: string;
}

export async function resolveText(deps: NotificationTextDeps, trx: Tx, text: NotificationText, params: Record<string, string | number> = {}): Promise<StoredText> {
  const texts = typeof text === 'string' ? await translate(deps, trx, text) : text;
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
  return { en: fill(texts.en), fr: fill(texts.fr) };
}

async function translate(deps: NotificationTextDeps, trx: Tx, key: string): Promise<StoredText> {
  const { rows } = await sql<{ locale: string; text: string }>`
    SELECT locale, text FROM translation WHERE key = ${key} AND locale IN ('en', 'fr') AND deleted_at IS NULL`.execute(trx);
  const dot = key.indexOf('.');
  const module = dot > 0 ? deps.moduleRuntime().loaded(key.slice(0, dot)) : undefined;
  const pick = (locale: 'en' | 'fr') =>
    rows.find((r) => r.locale === locale)?.text ?? module?.translations[locale]?.[key.slice(dot + 1)];
  const en = pick('en') ?? key;
  return { en, fr: pick('fr') ?? en };
}

/** Texte rangé, dans la langue du lecteur. */
export function textIn(stored: StoredText | null, locale: string): string | null {
  if (!stored) return null;
  return locale === 'fr' ? stored.fr : stored.en;
}
