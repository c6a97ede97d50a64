// Interprétation lisible d'une requête, dans la langue de la question : « Client : Ville (Adresse) = Lyon ; Créé le
// du 2026-11-01 au 2026-12-01 (exclu) ; tri : Encours autorisé décroissant ; 5 au plus ».
import type { Lexicon } from './lexicon.js';
import type { NlLanguage, NlUnderstood } from './types.js';

const WORDS = {
  fr: { to: 'au', from: 'du', since: 'depuis le', sort: 'tri', desc: 'décroissant', asc: 'croissant', limit: 'au plus', empty: 'vide', filled: 'renseigné', count: 'nombre', sum: 'total', avg: 'moyenne', min: 'minimum', max: 'maximum', by: 'par', all: 'tous', excluded: 'exclu', among: 'parmi' },
  en: { to: 'to', from: 'from', since: 'since', sort: 'sorted by', desc: 'descending', asc: 'ascending', limit: 'at most', empty: 'empty', filled: 'filled in', count: 'count', sum: 'total', avg: 'average', min: 'minimum', max: 'maximum', by: 'by', all: 'all', excluded: 'excluded', among: 'one of' },
};
const SYMBOLS: Record<string, string> = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** Libellé d'un chemin (`category.name` → « Catégorie », `creditLimit.currency` → « Encours autorisé (devise) »). */
export function pathLabel(lexicon: Lexicon, entity: string, path: string, language: NlLanguage): string {
  const [head, sub] = path.split('.');
  const field = lexicon.fields(entity).find((f) => f.name === head);
  const label = field ? (field.label[language] ?? field.label.en) : path;
  return sub === 'currency' ? `${label} (${language === 'fr' ? 'devise' : 'currency'})` : label;
}

function condition(label: string, spec: unknown, language: NlLanguage): string {
  const w = WORDS[language];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return `${label} = ${String(spec)}`;
  const ops = spec as Record<string, unknown>;
  if ('null' in ops) return `${label} ${ops.null ? w.empty : w.filled}`;
  if ('in' in ops) return `${label} ${w.among} ${(ops.in as unknown[]).join(', ')}`;
  const day = (v: unknown) => String(v).slice(0, 10);
  if ('gte' in ops && 'lt' in ops && /^\d{4}-\d{2}-\d{2}/.test(String(ops.gte))) {
    return `${label} ${w.from} ${day(ops.gte)} ${w.to} ${day(ops.lt)} (${w.excluded})`;
  }
  if (Object.keys(ops).length === 1 && 'gte' in ops && /^\d{4}-\d{2}-\d{2}/.test(String(ops.gte))) return `${label} ${w.since} ${day(ops.gte)}`;
  return Object.entries(ops).map(([op, v]) => `${label} ${SYMBOLS[op] ?? op} ${String(v)}`).join(', ');
}

export function explain(lexicon: Lexicon, query: NlUnderstood): string {
  const { language } = query;
  const w = WORDS[language];
  const entity = lexicon.entity(query.entity)!;
  const parts: string[] = [];
  for (const rel of query.related) {
    const other = lexicon.entity(rel.entity);
    const otherLabel = other ? (other.label[language] ?? other.label.en) : rel.entity;
    for (const [path, spec] of Object.entries(rel.filter)) parts.push(condition(`${pathLabel(lexicon, rel.entity, path, language)} (${otherLabel})`, spec, language));
  }
  for (const [path, spec] of Object.entries(query.filter)) parts.push(condition(pathLabel(lexicon, query.entity, path, language), spec, language));
  if (query.aggregate) {
    const measures = query.aggregate.measures.map((m) => (m.field ? `${w[m.fn]} ${pathLabel(lexicon, query.entity, m.field, language)}` : w.count));
    const by = query.aggregate.groupBy.map((p) => pathLabel(lexicon, query.entity, p, language));
    parts.push(`${measures.join(', ')}${by.length ? ` ${w.by} ${by.join(', ')}` : ''}`);
  } else if (query.count) {
    parts.push(w.count);
  }
  if (query.sort) {
    const desc = query.sort.startsWith('-');
    parts.push(`${w.sort} ${pathLabel(lexicon, query.entity, query.sort.replace(/^-/, ''), language)} ${desc ? w.desc : w.asc}`);
  }
  if (query.limit !== undefined) parts.push(`${w.limit} ${query.limit}`);
  const head = entity.label[language] ?? entity.label.en;
  return `${head} : ${parts.length ? parts.join(' ; ') : w.all}`.replace(' : ', language === 'fr' ? ' : ' : ': ');
}
