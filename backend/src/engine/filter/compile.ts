// Compilateur du langage de filtres JSON vers une expression SQL booléenne paramétrée.
//
// Sémantique : logique à DEUX valeurs, identique à celle de `evaluateFilter` (evaluate.ts).
//  - une comparaison (`eq`, `lt`, `in`, `like`, `between`…) sur un champ NULL est FAUSSE ;
//  - `neq` et `nin` sont VRAIES sur un champ NULL (IS DISTINCT FROM / NOT coalesce(x = ANY(…), false)) ;
//  - `not` inverse ce résultat à deux valeurs : son opérande est enveloppé dans coalesce(…, false), si bien que NOT
//    ne produit jamais NULL ;
//  - les feuilles positives restent nues pour que les index restent utilisables : elles peuvent valoir NULL là où la
//    logique à deux valeurs dit « faux », ce qui est équivalent sous AND, OR et WHERE. Invariant : l'expression
//    produite vaut TRUE exactement quand le filtre est vrai ; un appelant qui la nie lui-même doit la passer dans
//    coalesce(…, false).
//  - `tags` (text[]) : `eq` = le tableau contient la valeur, `in` = intersection non vide, `nin` = aucune valeur
//    commune (vrai sur NULL), `null: true` = NULL ou tableau vide ;
//  - `json` (jsonb) : seulement `null` et `eq` (égalité jsonb avec un paramètre JSON converti en jsonb).
// Les chaînes sont comparées et ILIKE replie la casse selon la collation de la colonne ; l'évaluateur en mémoire suit
// l'ordre des points de code et toLowerCase, c'est-à-dire la collation intégrée "pg_c_utf8" de PostgreSQL.
//
// Sécurité : aucun nom de champ n'atteint le SQL autrement que par `ctx.resolve(path).expr`, aucun opérateur autrement
// que par une liste fermée, et toute valeur est un paramètre lié (jamais sql.lit ni sql.raw sur une valeur).
import { sql, type RawBuilder } from 'kysely';
import {
  FILTER_LIMITS, FILTER_OPERATORS, FilterError,
  type FilterContext, type FilterErrorCode, type FilterOperator, type ResolvedPath, type ScalarKind,
} from './types.js';

const COMPARABLE: readonly FilterOperator[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'null', 'between'];

/** Opérateurs permis par type de valeur. */
const ALLOWED: Record<ScalarKind, ReadonlySet<FilterOperator>> = {
  string: new Set(FILTER_OPERATORS),
  integer: new Set(COMPARABLE),
  decimal: new Set(COMPARABLE),
  date: new Set(COMPARABLE),
  datetime: new Set(COMPARABLE),
  uuid: new Set(['eq', 'neq', 'in', 'nin', 'null']),
  boolean: new Set(['eq', 'neq', 'null']),
  tags: new Set(['eq', 'in', 'nin', 'null']),
  json: new Set(['eq', 'null']),
};

/** Type SQL du paramètre lié (liste fermée : c'est le seul texte SQL dérivé du type). */
const CASTS: Record<ScalarKind, string> = {
  string: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz',
  uuid: 'uuid', tags: 'text', json: 'jsonb',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,16}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
// longueur d'un décimal dans un filtre : au-delà de la précision des colonnes numériques
const MAX_DECIMAL_LENGTH = 60;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 avec fuseau obligatoire (Z ou ±hh:mm) : l'instant ne dépend jamais du fuseau de la session. */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** Demi-paire de substitution isolée : altérée à l'encodage UTF-8 (texte) ou refusée (jsonb). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Chaîne que PostgreSQL accepte telle quelle : ni caractère NUL (refusé), ni demi-paire isolée. */
const wellFormed = (s: string) => !s.includes('\u0000') && !LONE_SURROGATE.test(s);
/** Motif LIKE terminé par un caractère d'échappement orphelin (PostgreSQL le refuse). */
const TRAILING_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface State {
  nodes: number;
  ctx: FilterContext;
}

type FilterObject = Record<string, unknown>;

/** Objet JSON simple (pas de tableau, pas d'instance de classe). */
const isPlainObject = (v: unknown): v is FilterObject => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const fail = (path: string, code: FilterErrorCode, message: string) => new FilterError(path, code, message);
const invalid = (path: string, message: string) => fail(path, 'invalid_filter', message);
const badValue = (path: string, message: string) => fail(path, 'invalid_value', message);

/**
 * Compile un filtre JSON en expression SQL booléenne paramétrée ; `undefined` pour un filtre vide (`{}`, null, undefined).
 * Lève FilterError (codes stables : invalid_filter, unknown_operator, operator_not_allowed, invalid_value,
 * filter_too_complex ; unknown_field vient de `ctx.resolve`).
 */
export function compileFilter(filter: unknown, ctx: FilterContext): RawBuilder<unknown> | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (!isPlainObject(filter)) throw invalid('filter', 'A filter must be a JSON object');
  if (Object.keys(filter).length === 0) return undefined;
  return compileObject(filter, { nodes: 0, ctx }, 1);
}

/** Compte un nœud (clé d'objet ou élément de and/or/not) et fait respecter la limite. */
function count(state: State): void {
  if (++state.nodes > FILTER_LIMITS.maxNodes) {
    throw fail('filter', 'filter_too_complex', `A filter may contain at most ${FILTER_LIMITS.maxNodes} conditions`);
  }
}

function compileObject(filter: FilterObject, state: State, depth: number): RawBuilder<unknown> {
  if (depth > FILTER_LIMITS.maxDepth) {
    throw fail('filter', 'filter_too_complex', `A filter may be nested at most ${FILTER_LIMITS.maxDepth} levels deep`);
  }
  const parts: RawBuilder<unknown>[] = [];
  for (const [key, value] of Object.entries(filter)) {
    count(state);
    if (FORBIDDEN_KEYS.has(key)) throw invalid(key, `Forbidden key "${key}"`);
    if (key === 'and' || key === 'or') {
      const items = subFilters(key, value, state, depth);
      parts.push(items.length === 1 ? items[0]! : sql`(${sql.join(items, key === 'and' ? sql` AND ` : sql` OR `)})`);
    } else if (key === 'not') {
      // `not: [a, b]` signifie not(and(a, b)) ; le coalesce garantit que NOT ne produit jamais NULL.
      const items = Array.isArray(value) ? subFilters(key, value, state, depth) : subFilters(key, [value], state, depth);
      const inner = items.length === 1 ? items[0]! : sql`(${sql.join(items, sql` AND `)})`;
      parts.push(sql`NOT coalesce(${inner}, false)`);
    } else {
      parts.push(compileField(key, value, state));
    }
  }
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
}

/** Sous-filtres de and/or/not : tableau non vide d'objets ; un objet vide vaut TRUE. */
function subFilters(key: string, value: unknown, state: State, depth: number): RawBuilder<unknown>[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(key, `"${key}" must be a non-empty array of filters`);
  return value.map((item) => {
    count(state);
    if (!isPlainObject(item)) throw invalid(key, `"${key}" must contain filter objects`);
    return Object.keys(item).length === 0 ? sql`TRUE` : compileObject(item, state, depth + 1);
  });
}

/**
 * Objet d'opérateurs d'un champ. Une valeur nue signifie `eq` ; pour `json`, un objet n'est un objet d'opérateurs que
 * si toutes ses clés sont des opérateurs (sinon c'est la valeur JSON comparée par `eq`).
 */
function operatorsOf(kind: ScalarKind, spec: unknown): FilterObject {
  if (!isPlainObject(spec)) return { eq: spec };
  if (kind !== 'json') return spec;
  const keys = Object.keys(spec);
  return keys.length > 0 && keys.every((k) => (FILTER_OPERATORS as readonly string[]).includes(k)) ? spec : { eq: spec };
}

function compileField(path: string, spec: unknown, state: State): RawBuilder<unknown> {
  const resolved = state.ctx.resolve(path);
  const entries = Object.entries(operatorsOf(resolved.kind, spec));
  if (entries.length === 0) throw invalid(path, `Empty condition on "${path}"`);
  const parts = entries.map(([op, raw]) => {
    if (FORBIDDEN_KEYS.has(op)) throw invalid(path, `Forbidden key "${op}"`);
    if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
      throw fail(path, 'unknown_operator', `Unknown operator "${op}" on "${path}"`);
    }
    const operator = op as FilterOperator;
    if (!ALLOWED[resolved.kind].has(operator)) {
      throw fail(path, 'operator_not_allowed', `Operator "${op}" is not allowed on "${path}" (${resolved.kind})`);
    }
    return predicate(path, resolved, operator, substitute(raw, state.ctx));
  });
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`;
}

/** Remplace une variable de règle (`$user.id`) par sa valeur, aussi dans les tableaux (`in`, `nin`, `between`). */
function substitute(value: unknown, ctx: FilterContext): unknown {
  const variables = ctx.variables;
  if (!variables) return value;
  const one = (v: unknown) => (typeof v === 'string' && v.startsWith('$') && Object.hasOwn(variables, v) ? variables[v] : v);
  const substituted = one(value);
  return Array.isArray(substituted) ? substituted.map(one) : substituted;
}

function checkText(path: string, value: unknown): string {
  if (typeof value !== 'string') throw badValue(path, `Invalid value for "${path}": expected a string`);
  if (value.length > FILTER_LIMITS.maxStringLength) {
    throw badValue(path, `Invalid value for "${path}": at most ${FILTER_LIMITS.maxStringLength} characters`);
  }
  if (!wellFormed(value)) throw badValue(path, `Invalid value for "${path}": NUL or unpaired surrogate character`);
  return value;
}

const isLeapYear = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Date du calendrier grégorien valide, années 1 à 9999 (l'année 0 est refusée par PostgreSQL). */
function validDate(y: number, m: number, d: number): boolean {
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]!;
}

function validDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((part) => Number(part ?? 0));
  return validDate(y!, mo!, d!) && h! <= 23 && mi! <= 59 && s! <= 59 && oh! <= 15 && om! <= 59 && !Number.isNaN(Date.parse(value));
}

/** Valeur contrôlée et convertie selon le type du champ ; le type SQL est appliqué par cast du paramètre. */
function scalar(path: string, resolved: ResolvedPath, value: unknown): unknown {
  const bad = (expected: string) => badValue(path, `Invalid value for "${path}": expected ${expected}`);
  switch (resolved.kind) {
    case 'string':
    case 'tags': {
      // refs : une liste d'identifiants, comparés en minuscules comme PostgreSQL les écrit
      if (resolved.fieldType === 'refs') {
        if (typeof value !== 'string' || !UUID.test(value)) throw bad('a UUID');
        return value.toLowerCase();
      }
      const text = checkText(path, value);
      if (resolved.enumValues && !resolved.enumValues.includes(text)) throw bad(`one of ${resolved.enumValues.join(', ')}`);
      return text;
    }
    case 'integer': {
      const n = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad('an integer');
      return n;
    }
    case 'decimal': {
      // transmis en texte puis converti par ::numeric, pour ne rien perdre de la précision
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value === 'string' && value.length <= MAX_DECIMAL_LENGTH && DECIMAL.test(value)) return value;
      throw bad('a decimal number');
    }
    case 'boolean': {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw bad('true or false');
    }
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw bad('a date YYYY-MM-DD');
      return value;
    }
    case 'datetime': {
      if (typeof value !== 'string' || !validDateTime(value)) throw bad('an ISO 8601 date-time with a time zone');
      return value;
    }
    case 'uuid': {
      if (typeof value !== 'string' || !UUID.test(value)) throw bad('a UUID');
      return value.toLowerCase();
    }
    case 'json': {
      const text = value === undefined ? undefined : JSON.stringify(value);
      if (text === undefined || !jsonWellFormed(value)) throw bad('a JSON value');
      if (text.length > FILTER_LIMITS.maxStringLength) throw bad(`a JSON value of at most ${FILTER_LIMITS.maxStringLength} characters`);
      return text;
    }
  }
}

/** Valeur JSON acceptée par jsonb : pas de NUL ni de demi-paire isolée, nombres finis. */
function jsonWellFormed(value: unknown): boolean {
  if (typeof value === 'string') return wellFormed(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(jsonWellFormed);
  if (isPlainObject(value)) return Object.entries(value).every(([k, v]) => wellFormed(k) && jsonWellFormed(v));
  return false;
}

/** Paramètre lié et converti : `$n::type`. */
function bound(path: string, resolved: ResolvedPath, value: unknown): RawBuilder<unknown> {
  return sql`${scalar(path, resolved, value)}::${sql.raw(CASTS[resolved.kind])}`;
}

/** Liste liée en un seul paramètre tableau : `$n::type[]`. */
function list(path: string, resolved: ResolvedPath, value: unknown): RawBuilder<unknown> {
  if (!Array.isArray(value) || value.length === 0 || value.length > FILTER_LIMITS.maxInList) {
    throw badValue(path, `"${path}" expects a non-empty array of at most ${FILTER_LIMITS.maxInList} values`);
  }
  const values = value.map((v) => scalar(path, resolved, v));
  return sql`${values}::${sql.raw(CASTS[resolved.kind])}[]`;
}

/** Motif LIKE / ILIKE tel quel (`%`, `_`, échappement par barre oblique inverse), non soumis aux valeurs d'enum. */
function pattern(path: string, value: unknown): RawBuilder<unknown> {
  const text = checkText(path, value);
  if (TRAILING_ESCAPE.test(text)) throw badValue(path, `The pattern for "${path}" ends with an escape character`);
  return sql`${text}::text`;
}

function predicate(path: string, resolved: ResolvedPath, op: FilterOperator, value: unknown): RawBuilder<unknown> {
  const x = resolved.expr;
  if (op === 'null') {
    if (value !== true && value !== false && value !== 'true' && value !== 'false') {
      throw badValue(path, `"null" expects true or false on "${path}"`);
    }
    const isNull = value === true || value === 'true';
    if (resolved.kind === 'tags') {
      return isNull ? sql`(${x} IS NULL OR cardinality(${x}) = 0)` : sql`(${x} IS NOT NULL AND cardinality(${x}) > 0)`;
    }
    return isNull ? sql`(${x} IS NULL)` : sql`(${x} IS NOT NULL)`;
  }
  if (resolved.kind === 'tags') {
    switch (op) {
      case 'eq': return sql`(${x} @> ARRAY[${bound(path, resolved, value)}])`;
      case 'in': return sql`(${x} && ${list(path, resolved, value)})`;
      default: return sql`NOT coalesce(${x} && ${list(path, resolved, value)}, false)`; // nin
    }
  }
  switch (op) {
    case 'eq': return sql`(${x} = ${bound(path, resolved, value)})`;
    case 'neq': return sql`(${x} IS DISTINCT FROM ${bound(path, resolved, value)})`;
    case 'lt': return sql`(${x} < ${bound(path, resolved, value)})`;
    case 'lte': return sql`(${x} <= ${bound(path, resolved, value)})`;
    case 'gt': return sql`(${x} > ${bound(path, resolved, value)})`;
    case 'gte': return sql`(${x} >= ${bound(path, resolved, value)})`;
    case 'in': return sql`(${x} = ANY(${list(path, resolved, value)}))`;
    case 'nin': return sql`NOT coalesce(${x} = ANY(${list(path, resolved, value)}), false)`;
    case 'like': return sql`(${x} LIKE ${pattern(path, value)})`;
    case 'ilike': return sql`(${x} ILIKE ${pattern(path, value)})`;
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) throw badValue(path, `"between" expects [low, high] on "${path}"`);
      return sql`(${x} BETWEEN ${bound(path, resolved, value[0])} AND ${bound(path, resolved, value[1])})`;
    }
  }
}
