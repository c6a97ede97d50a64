// Parseur de questions en langage naturel (français, anglais) sans modèle de langue : règles déterministes et termes
// du lexique de l'utilisateur reconnus approximativement. Il ne produit que des lectures : entité, filtre JSON (le
// langage des listes), conditions sur des enregistrements liés, tri, limite, compte ou agrégat groupé ; sinon il dit
// pourquoi il ne comprend pas, avec des exemples.
import type { AggregateFunction, Measure } from '../../../engine/query/aggregate.js';
import { findComparisons, type Comparison } from './comparisons.js';
import { findDate, rangeCondition } from './dates.js';
import type { FieldInfo, Lexicon, RelatedField } from './lexicon.js';
import { findTerms, take } from './match.js';
import { findOrdering } from './ordering.js';
import { tokenize } from './text.js';
import type { NlLanguage, NlParse, NlRelated, NlUnderstood, ValueTerm } from './types.js';
import {
  AVG_WORDS, COUNT_WORDS, CREATED_WORDS, DESTRUCTIVE, GROUP_WORDS, MAX_WORDS, MIN_WORDS, STOP_WORDS, SUM_WORDS, UPCOMING_WORDS,
  UPDATED_WORDS, WITHOUT_WORDS,
} from './vocabulary.js';

export interface ParseOptions {
  lexicon: Lexicon;
  /** liste où se trouve l'utilisateur : l'entité par défaut */
  contextEntity?: string;
  now: Date;
  timeZone: string;
  locale: NlLanguage;
  /** valeurs connues des champs de l'entité et de ses enregistrements liés */
  values: (entity: string) => Promise<ValueTerm[]>;
}

type Term =
  | { type: 'field'; field: FieldInfo }
  | { type: 'related'; field: RelatedField }
  | { type: 'enum'; field: FieldInfo; value: string }
  | { type: 'value'; term: ValueTerm };

const FRENCH = new Set(['les', 'des', 'du', 'de', 'combien', 'par', 'ce', 'cette', 'cet', 'plus', 'moins', 'clients', 'quels', 'quelles', 'dernier', 'derniere', 'mois', 'annee', 'entre', 'sans', 'avec', 'et', 'hier', 'depuis', 'a', 'en', 'trie']);
const ENGLISH = new Set(['the', 'of', 'how', 'many', 'by', 'this', 'last', 'with', 'without', 'over', 'under', 'between', 'and', 'in', 'top', 'show', 'list', 'customers', 'per', 'since', 'what', 'which', 'sorted', 'year', 'month']);

export function detectLanguage(question: string, tokens: string[], fallback: NlLanguage): NlLanguage {
  const fr = tokens.filter((t) => FRENCH.has(t)).length + (/[éèêàçù]/i.test(question) ? 1 : 0);
  const en = tokens.filter((t) => ENGLISH.has(t)).length;
  return fr > en ? 'fr' : en > fr ? 'en' : fallback;
}

const SUGGESTIONS: Record<NlLanguage, string[]> = {
  fr: ['clients à Lyon', 'combien de fournisseurs', 'clients créés ce mois', 'les 5 clients avec le plus gros encours', 'nombre de clients par catégorie'],
  en: ['customers in Lyon', 'how many suppliers', 'customers created this month', 'top 5 customers by credit limit', 'number of customers by category'],
};

const refuse = (language: NlLanguage, reason: 'empty' | 'destructive' | 'no_entity' | 'not_understood'): NlParse =>
  ({ understood: false, language, reason, suggestions: SUGGESTIONS[language] });

/** Mot significatif précédent (mots vides sautés) ; -1 s'il n'y en a pas. */
function previous(tokens: string[], i: number, skip = STOP_WORDS): number {
  let j = i - 1;
  while (j >= 0 && skip.has(tokens[j]!) && !GROUP_WORDS.has(tokens[j]!) && !WITHOUT_WORDS.has(tokens[j]!)) j--;
  return j;
}

/**
 * Entité non nommée : celle dont un champ est cité (« total des encours par catégorie » → client), si une seule entité
 * concrète a le meilleur score.
 */
function entityOfFields(tokens: string[], used: boolean[], lexicon: Lexicon): string | undefined {
  let best: { name: string; words: number } | undefined;
  let tie = false;
  for (const entity of lexicon.entities) {
    if (entity.model.abstract) continue;
    const spans = findTerms(tokens, used, lexicon.fields(entity.name).filter((f) => !f.path.endsWith('At')).map((f) => ({ phrases: f.phrases, item: f })));
    const words = spans.reduce((n, s) => n + s.length, 0);
    if (!words) continue;
    if (!best || words > best.words) {
      best = { name: entity.name, words };
      tie = false;
    } else if (words === best.words) {
      tie = true;
    }
  }
  return best && !tie ? best.name : undefined;
}

const isNumeric = (f: FieldInfo) => f.kind === 'number' || f.kind === 'money';

export async function parseQuestion(question: string, options: ParseOptions): Promise<NlParse> {
  const tokens = tokenize(question);
  const language = detectLanguage(question, tokens, options.locale);
  if (tokens.length === 0) return refuse(language, 'empty');
  const { lexicon } = options;
  // verbe d'écriture hors d'un nom d'entité (« taux de change » n'est pas « change ») : refus
  const entityWords = new Array<boolean>(tokens.length).fill(false);
  for (const s of findTerms(tokens, entityWords.slice(), lexicon.entities.map((e) => ({ phrases: e.phrases, item: e.name })))) {
    for (let k = s.start; k < s.end; k++) entityWords[k] = true;
  }
  if (tokens.some((t, i) => DESTRUCTIVE.has(t) && !entityWords[i])) return refuse(language, 'destructive');
  const used = new Array<boolean>(tokens.length).fill(false);

  // intentions : compter, mesurer (somme, moyenne, extrêmes)
  const count = take(tokens, used, COUNT_WORDS) !== undefined;
  const measureWords: Array<[string[][], AggregateFunction]> = [[SUM_WORDS, 'sum'], [AVG_WORDS, 'avg'], [MAX_WORDS, 'max'], [MIN_WORDS, 'min']];
  let measure: { fn: AggregateFunction; at: number } | undefined;
  // dates et comparaisons avant les termes (« max » peut être une borne : « au plus », « max 30 jours »)
  const date = findDate(tokens, options.now, options.timeZone);
  if (date) for (let k = date.start; k < date.end; k++) used[k] = true;
  const comparisons = findComparisons(tokens).filter((c) => !used.slice(c.start, c.end).some(Boolean));
  for (const c of comparisons) for (let k = c.start; k < c.end; k++) used[k] = true;
  for (const [forms, fn] of measureWords) {
    const at = take(tokens, used, forms);
    if (at !== undefined && !measure) measure = { fn, at };
  }

  // tri et limite : « top 10 », « les 5 plus gros », « 3 premiers », « les plus récents », « trié par nom »
  const ordering = findOrdering(tokens, used, lexicon.entities.flatMap((e) => e.phrases.map((p) => p[0]!)));
  const { limit, sortIntent } = ordering;
  let { sortDesc } = ordering;
  // « prochains jours fériés » : à partir d'aujourd'hui, les plus proches d'abord
  const upcoming = !date && take(tokens, used, [...UPCOMING_WORDS].map((w) => [w])) !== undefined;

  // entité : la première citée (hors « par X ») ; sinon la liste où se trouve l'utilisateur
  const entitySpans = findTerms(tokens, used, lexicon.entities.map((e) => ({ phrases: e.phrases, item: e.name })))
    .filter((s) => !GROUP_WORDS.has(tokens[previous(tokens, s.start)] ?? ''));
  const named = entitySpans.find((s) => lexicon.entity(s.item));
  const entityName = named?.item ?? (options.contextEntity && lexicon.entity(options.contextEntity) ? options.contextEntity : undefined)
    ?? entityOfFields(tokens, used, lexicon);
  if (!entityName) return refuse(language, 'no_entity');
  if (named) for (let k = named.start; k < named.end; k++) used[k] = true;

  // termes du catalogue : champs, valeurs d'enum, champs liés, valeurs connues
  const fields = lexicon.fields(entityName);
  const related = lexicon.related(entityName);
  const values = await options.values(entityName);
  const candidates = [
    ...fields.map((field) => ({ phrases: field.phrases, item: { type: 'field', field } as Term })),
    ...fields.flatMap((field) => (field.enumValues ?? []).map((v) => ({ phrases: v.phrases, item: { type: 'enum', field, value: v.value } as Term }))),
    ...related.map((field) => ({ phrases: field.phrases, item: { type: 'related', field } as Term })),
    ...values.map((term) => ({ phrases: [tokenize(term.value).filter((w) => !STOP_WORDS.has(w))].filter((p) => p.length > 0), item: { type: 'value', term } as Term })),
  ];
  const spans = findTerms(tokens, used, candidates);
  for (const span of spans) for (let k = span.start; k < span.end; k++) used[k] = true;
  // champ date nommé par un participe (« créés », « modifiés »)
  let dateField: FieldInfo | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const path = CREATED_WORDS.has(tokens[i]!) ? 'createdAt' : UPDATED_WORDS.has(tokens[i]!) ? 'updatedAt' : undefined;
    if (path && (date || sortIntent === 'recent' || sortIntent === 'old' || CREATED_WORDS.has(tokens[i]!))) {
      dateField = fields.find((f) => f.path === path);
      used[i] = true;
    }
  }

  const filter: Record<string, unknown> = {};
  const relatedFilters: NlRelated[] = [];
  const groupBy: string[] = [];
  let sortField: FieldInfo | undefined;
  let measureField: FieldInfo | undefined;
  let recognised = 0;
  const addCondition = (path: string, condition: unknown, rel?: { entity: string; via: string }) => {
    recognised++;
    if (!rel) {
      filter[path] = merge(filter[path], condition);
      return;
    }
    let target = relatedFilters.find((r) => r.entity === rel.entity && r.via === rel.via);
    if (!target) relatedFilters.push(target = { entity: rel.entity, via: rel.via, filter: {} });
    // plusieurs valeurs du même champ lié (« à Lyon ou à Paris ») : l'une ou l'autre
    const previousValue = target.filter[path];
    target.filter[path] = previousValue === undefined ? condition : { in: [...inList(previousValue), ...inList(condition)] };
  };

  const usedComparisons = new Set<Comparison>();
  for (const span of spans) {
    const term = span.item;
    const before = tokens[previous(tokens, span.start)] ?? '';
    if (term.type === 'enum') {
      addCondition(term.field.path, inOrEq(filter[term.field.path], term.value));
      continue;
    }
    if (term.type === 'value') {
      const { path, value, related: rel } = term.term;
      if (rel) addCondition(path, value, rel);
      else addCondition(path, inOrEq(filter[path], value));
      continue;
    }
    const field = term.field;
    const rel = term.type === 'related' ? { entity: term.field.entity, via: term.field.via } : undefined;
    if (GROUP_WORDS.has(before) && !rel) {
      // « trié par X », « top 5 by X » : un tri ; « total par X », « nombre par X » : un regroupement
      const sorting = sortIntent === 'explicit' || ((limit !== undefined || sortIntent) && !count && !measure);
      if (sorting) sortField = field;
      else if (groupBy.length < 2) groupBy.push(field.path);
      recognised++;
      continue;
    }
    if (WITHOUT_WORDS.has(before)) {
      addCondition(field.path, { null: true }, rel);
      continue;
    }
    if (measure && !measureField && isNumeric(field) && !rel) {
      measureField = field;
      recognised++;
      continue;
    }
    // comparaison qui suit (« encours de plus de 50 000 ») ou qui précède (« plus de 30 jours de délai »)
    const comparison = comparisons.find((c) => !usedComparisons.has(c) && c.start >= span.end && c.start - span.end <= 3)
      ?? comparisons.find((c) => !usedComparisons.has(c) && c.end <= span.start && span.start - c.end <= 2);
    if (comparison && (isNumeric(field) || field.kind === 'date')) {
      usedComparisons.add(comparison);
      addCondition(field.path, comparison.condition, rel);
      if (comparison.unit && field.kind === 'money' && !rel) addCondition(`${field.path}.currency`, comparison.unit);
      continue;
    }
    if (field.kind === 'boolean') {
      addCondition(field.path, true, rel);
      continue;
    }
    if ((field.kind === 'date' || field.kind === 'datetime') && date && !dateField) {
      dateField = field;
      recognised++;
      continue;
    }
    if ((sortIntent || limit !== undefined) && !sortField && (isNumeric(field) || field.kind === 'date' || field.kind === 'datetime')) {
      sortField = field;
      recognised++;
      continue;
    }
    if (measure && !measureField) continue;
    // champ cité seul : avec « avec »/« with », rempli ; sinon sans effet
    if (before === 'avec' || before === 'with') addCondition(field.path, { null: false }, rel);
  }

  // comparaisons sans champ : l'unité ou le premier champ numérique de l'entité
  for (const c of comparisons) {
    if (usedComparisons.has(c)) continue;
    const numeric = fields.filter(isNumeric);
    const field = c.unit === 'days' ? numeric.find((f) => f.phrases.some((p) => p.some((w) => /^(jour|day)/.test(w)))) ?? numeric[0]
      : c.unit ? numeric.find((f) => f.kind === 'money') ?? numeric[0] : numeric.find((f) => f.kind === 'money') ?? numeric[0];
    if (!field) continue;
    addCondition(field.path, c.condition);
    if (c.unit && c.unit !== 'days' && field.kind === 'money') addCondition(`${field.path}.currency`, c.unit);
  }

  if (upcoming) {
    const field = fields.find((f) => f.kind === 'date');
    if (field) {
      addCondition(field.path, { gte: findDate(['today'], options.now, options.timeZone)!.range.from });
      sortField ??= field;
      sortDesc ??= false;
    }
  }
  // date : le champ nommé, sinon le premier champ date de l'entité, sinon la date de création
  if (date) {
    const field = dateField ?? fields.find((f) => f.kind === 'date') ?? fields.find((f) => f.path === 'createdAt')!;
    addCondition(field.path, rangeCondition(date.range, field.kind === 'date' ? 'date' : 'datetime', options.timeZone));
  }

  // tri
  let sort: string | undefined;
  const model = lexicon.entity(entityName)!.model;
  const defaultDate = () => dateField ?? fields.find((f) => f.kind === 'date') ?? fields.find((f) => f.path === 'createdAt')!;
  const defaultNumeric = () => fields.find((f) => f.kind === 'money') ?? fields.find((f) => f.kind === 'number');
  if (sortField) {
    const desc = sortDesc ?? (sortIntent === 'small' || sortIntent === 'old' || sortIntent === 'alpha' ? false
      : sortIntent === 'explicit' ? false : isNumeric(sortField) || sortField.kind === 'date' || sortField.kind === 'datetime');
    sort = `${desc ? '-' : ''}${sortField.path}`;
  } else if (sortIntent === 'recent' || sortIntent === 'old') {
    sort = `${sortIntent === 'recent' ? '-' : ''}${defaultDate().path}`;
  } else if (sortIntent === 'big' || sortIntent === 'small') {
    const field = defaultNumeric();
    if (field) sort = `${sortIntent === 'big' ? '-' : ''}${field.path}`;
  } else if (sortIntent === 'alpha' && model.display) {
    sort = model.display;
  }
  if (sort) recognised++;

  // agrégat : mesure (somme, moyenne…) ou compte, groupé
  let aggregate: NlUnderstood['aggregate'];
  if (measure && measureField) {
    const measures: Measure[] = [{ fn: measure.fn, field: measureField.path }];
    if (groupBy.length) measures.push({ fn: 'count' });
    aggregate = { measures, groupBy };
  } else if (measure && !measureField) {
    const field = defaultNumeric();
    if (field) aggregate = { measures: [{ fn: measure.fn, field: field.path }, ...(groupBy.length ? [{ fn: 'count' as const }] : [])], groupBy };
  } else if (groupBy.length) {
    aggregate = { measures: [{ fn: 'count' }], groupBy };
  }
  if (aggregate) recognised++;

  const ignored = tokens.filter((t, i) => !used[i] && !STOP_WORDS.has(t) && !GROUP_WORDS.has(t) && !WITHOUT_WORDS.has(t) && !/^\d+$/.test(t));
  const meaningful = tokens.filter((t) => !STOP_WORDS.has(t)).length;
  // rien de reconnu hors de l'entité du contexte, et des mots inconnus : ne pas deviner
  if (!named && recognised === 0 && !count) return refuse(language, 'not_understood');
  if (ignored.length > 0 && ignored.length >= Math.max(2, meaningful * 0.6) && recognised === 0) return refuse(language, 'not_understood');
  const confidence = Math.max(0.2, Math.min(1, 1 - ignored.length / Math.max(meaningful, 1))) * (named ? 1 : 0.9);
  return {
    understood: true, language, entity: entityName, filter, related: relatedFilters,
    ...(sort ? { sort } : {}), ...(limit !== undefined ? { limit } : {}),
    count, ...(aggregate ? { aggregate } : {}),
    confidence: Math.round(confidence * 100) / 100, ignored,
  };
}

const inList = (v: unknown): unknown[] => (v && typeof v === 'object' && 'in' in v ? (v as { in: unknown[] }).in : [v]);

/** Deux valeurs du même champ (« personnes ou organisations ») : l'une ou l'autre. */
function inOrEq(existing: unknown, value: string): unknown {
  if (existing === undefined) return value;
  return { in: [...inList(existing), value] };
}

/** Deux conditions sur le même champ : opérateurs réunis (`{gte}` + `{lte}`) ; une égalité remplace. */
function merge(existing: unknown, condition: unknown): unknown {
  const isOps = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (existing === undefined || !isOps(existing) || !isOps(condition) || 'in' in condition) return condition;
  return { ...existing, ...condition };
}
