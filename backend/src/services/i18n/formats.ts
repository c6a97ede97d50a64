// Échange des catalogues : JSON (clé → texte), CSV (key,text) et XLIFF 1.2 (source anglaise, cible de la langue).
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { validationFailed } from '../../errors/problem.js';
import type { Texts } from './catalog.js';

export type CatalogFormat = 'json' | 'csv' | 'xliff';

const KEY = /^[A-Za-z0-9_.-]{1,200}$/;
// longueur d'une traduction : borne de validation du format d'échange
const MAX_TEXT = 2000;
// entrées par fichier de traductions : borne la taille d'une requête ; un catalogue plus grand s'envoie en plusieurs fois
const MAX_ENTRIES = 50_000;

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unxml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export function exportCatalog(format: CatalogFormat, locale: string, texts: Texts, source: Texts): { type: string; body: string } {
  if (format === 'csv') {
    return { type: 'text/csv; charset=utf-8', body: stringify(Object.entries(texts).map(([key, text]) => ({ key, text })), { header: true, columns: ['key', 'text'] }) };
  }
  if (format === 'xliff') {
    const units = Object.keys({ ...source, ...texts }).sort().map((key) =>
      `    <trans-unit id="${xml(key)}"><source>${xml(source[key] ?? '')}</source>${texts[key] === undefined ? '' : `<target>${xml(texts[key])}</target>`}</trans-unit>`);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n  <file source-language="en" target-language="${xml(locale)}" datatype="plaintext" original="opsflux">\n  <body>\n${units.join('\n')}\n  </body>\n  </file>\n</xliff>\n`;
    return { type: 'application/xliff+xml; charset=utf-8', body };
  }
  return { type: 'application/json; charset=utf-8', body: JSON.stringify(texts, null, 2) };
}

/** Entrées d'un catalogue importé, contrôlées (clés sûres, textes bornés) ; toutes les fautes sont rapportées. */
export function parseCatalog(format: CatalogFormat, body: unknown): Texts {
  let entries: [string, unknown][];
  if (format === 'json') {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed([{ field: 'body', code: 'invalid_type', message: 'Expected a JSON object { "key": "text" }' }]);
    entries = Object.entries(body);
  } else if (format === 'csv') {
    let rows: Record<string, string>[];
    try {
      rows = parse(String(body).replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
    } catch (error) {
      throw validationFailed([{ field: 'body', code: 'invalid_csv', message: (error as Error).message }]);
    }
    entries = rows.map((r) => [r.key ?? '', r.text]);
  } else {
    entries = [...String(body).matchAll(/<trans-unit\s+id="([^"]*)"[^>]*>[\s\S]*?<target>([\s\S]*?)<\/target>[\s\S]*?<\/trans-unit>/g)].map((m) => [unxml(m[1]!), unxml(m[2]!)]);
  }
  if (entries.length > MAX_ENTRIES) throw validationFailed([{ field: 'body', code: 'too_large', message: `At most ${MAX_ENTRIES} entries` }]);
  const errors = entries.flatMap(([key, text], i) => [
    ...(KEY.test(key) ? [] : [{ field: `entry ${i + 1}`, code: 'pattern', message: `Invalid key "${key.slice(0, 50)}": letters, digits, _ . - only` }]),
    ...(typeof text === 'string' && text.length > 0 && text.length <= MAX_TEXT ? [] : [{ field: `entry ${i + 1}`, code: 'invalid_value', message: `The text of "${key.slice(0, 50)}" must be 1 to ${MAX_TEXT} characters` }]),
  ]);
  if (errors.length) throw validationFailed(errors.slice(0, 100));
  return Object.fromEntries(entries as [string, string][]);
}
