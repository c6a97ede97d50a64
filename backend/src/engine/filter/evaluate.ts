// Évaluateur en mémoire du langage de filtres, avec exactement la sémantique du compilateur SQL (compile.ts) :
// logique à deux valeurs — une comparaison sur NULL est fausse, `neq` et `nin` sont vrais sur NULL, `not` inverse le
// résultat ; `tags` : eq = contient, in = intersection, nin = aucune valeur commune, null = NULL ou vide.
// Il suppose le filtre valide (déjà accepté par compileFilter). Sert au test de propriétés et au client hors ligne.
//
// Représentation attendue des valeurs de ligne : décimaux en texte ou nombre, dates en 'YYYY-MM-DD', instants en
// Date ou texte ISO 8601, tags en tableau de chaînes, NULL en null ou undefined.
// Limites connues par rapport à PostgreSQL : les chaînes sont ordonnées par point de code et ILIKE replie la casse
// caractère par caractère (like.ts), ce qui correspond à la collation intégrée "pg_c_utf8" (la collation "C" ne replie
// que l'ASCII, une collation linguistique ordonne autrement) ; les instants lus en Date n'ont que la milliseconde ; un
// jsonb `null` ne se distingue pas d'un NULL SQL.
import { likeMatches } from './like.js';
import { FILTER_OPERATORS, type ScalarKind } from './types.js';

type Row = Record<string, unknown>;
type FilterObject = Record<string, unknown>;

export function evaluateFilter(
  filter: unknown,
  row: Row,
  kinds: Record<string, ScalarKind>,
  variables?: Record<string, unknown>,
): boolean {
  if (filter === undefined || filter === null) return true;
  return Object.entries(filter as FilterObject).every(([key, value]) => {
    const sub = (f: unknown) => evaluateFilter(f, row, kinds, variables);
    if (key === 'and') return (value as unknown[]).every(sub);
    if (key === 'or') return (value as unknown[]).some(sub);
    if (key === 'not') return !(Array.isArray(value) ? value.every(sub) : sub(value));
    const kind = kinds[key]!;
    return Object.entries(operatorsOf(kind, value)).every(([op, operand]) =>
      test(kind, row[key] ?? null, op, substitute(operand, variables)));
  });
}

/** Même règle que le compilateur : valeur nue = `eq` ; pour `json`, objet d'opérateurs seulement si toutes ses clés en sont. */
function operatorsOf(kind: ScalarKind, spec: unknown): FilterObject {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { eq: spec };
  const keys = Object.keys(spec);
  const operators = kind !== 'json' || (keys.length > 0 && keys.every((k) => (FILTER_OPERATORS as readonly string[]).includes(k)));
  return operators ? (spec as FilterObject) : { eq: spec };
}

function substitute(value: unknown, variables: Record<string, unknown> | undefined): unknown {
  if (!variables) return value;
  const one = (v: unknown) => (typeof v === 'string' && v.startsWith('$') && Object.hasOwn(variables, v) ? variables[v] : v);
  const substituted = one(value);
  return Array.isArray(substituted) ? substituted.map(one) : substituted;
}

function test(kind: ScalarKind, value: unknown, op: string, operand: unknown): boolean {
  if (op === 'null') {
    const isNull = value === null || (kind === 'tags' && (value as unknown[]).length === 0);
    return (operand === true || operand === 'true') === isNull;
  }
  if (kind === 'tags') {
    const tags = value as string[] | null;
    if (op === 'eq') return tags !== null && tags.includes(operand as string);
    const overlap = tags !== null && (operand as string[]).some((t) => tags.includes(t));
    return op === 'in' ? overlap : !overlap;
  }
  const eq = (v: unknown) => (kind === 'json' ? jsonEqual(value, v) : compare(kind, value, v) === 0);
  if (op === 'neq') return value === null || !eq(operand);
  if (op === 'nin') return value === null || !(operand as unknown[]).some(eq);
  if (value === null) return false;
  switch (op) {
    case 'eq': return eq(operand);
    case 'in': return (operand as unknown[]).some(eq);
    case 'lt': return compare(kind, value, operand) < 0;
    case 'lte': return compare(kind, value, operand) <= 0;
    case 'gt': return compare(kind, value, operand) > 0;
    case 'gte': return compare(kind, value, operand) >= 0;
    case 'between': {
      const [low, high] = operand as [unknown, unknown];
      return compare(kind, value, low) >= 0 && compare(kind, value, high) <= 0;
    }
    case 'like': return likeMatches(operand as string, String(value));
    case 'ilike': return likeMatches(operand as string, String(value), true);
  }
  return false;
}

/** Ordre de deux valeurs non nulles d'un même type (négatif, zéro, positif). */
function compare(kind: ScalarKind, a: unknown, b: unknown): number {
  switch (kind) {
    case 'integer': return Math.sign(Number(a) - Number(b));
    case 'decimal': return compareDecimal(String(a), String(b));
    case 'datetime': return compareInstant(a, b);
    case 'boolean': return asBoolean(a) === asBoolean(b) ? 0 : 1;
    case 'uuid': return compareText(String(a).toLowerCase(), String(b).toLowerCase());
    default: return compareText(String(a), String(b)); // string, date ('YYYY-MM-DD' s'ordonne comme du texte)
  }
}

const asBoolean = (v: unknown) => v === true || v === 'true';

/** Ordre des points de code (celui de la collation "C" de PostgreSQL), et non des unités UTF-16. */
function compareText(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

/** Décimal exact : entier signé et nombre de chiffres après la virgule ('2.50' = '2.5', '1e+21' accepté). */
function decimal(text: string): { units: bigint; scale: number } {
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m) throw new Error(`Not a decimal: ${text}`);
  const fraction = m[3] ?? '';
  const scale = fraction.length - Number(m[4] ?? 0);
  let units = BigInt(m[2]! + fraction);
  if (scale < 0) units *= 10n ** BigInt(-scale);
  return { units: m[1] ? -units : units, scale: Math.max(scale, 0) };
}

function compareDecimal(a: string, b: string): number {
  const x = decimal(a);
  const y = decimal(b);
  const scale = Math.max(x.scale, y.scale);
  const left = x.units * 10n ** BigInt(scale - x.scale);
  const right = y.units * 10n ** BigInt(scale - y.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Instant à la microseconde (précision de timestamptz) : millisecondes de Date, plus les chiffres 4 à 6 de la fraction. */
function instant(v: unknown): [number, number] {
  if (v instanceof Date) return [v.getTime(), 0];
  const text = String(v);
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return [Date.parse(text), Number(fraction.slice(3, 6).padEnd(3, '0'))];
}

function compareInstant(a: unknown, b: unknown): number {
  const [ms1, us1] = instant(a);
  const [ms2, us2] = instant(b);
  return Math.sign(ms1 - ms2 || us1 - us2);
}

/** Égalité jsonb : objets sans égard à l'ordre des clés, tableaux dans l'ordre, nombres par valeur. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEqual(v, (b as unknown[])[i]));
  const x = a as FilterObject;
  const y = b as FilterObject;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && jsonEqual(x[k], y[k]));
}
