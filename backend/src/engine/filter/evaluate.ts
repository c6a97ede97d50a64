// Évaluateur en mémoire du langage de filtres, avec exactement la sémantique du compilateur SQL (logique à deux
// valeurs : comparaison sur NULL = faux ; neq et nin vrais sur NULL). Sert au test de propriétés et au client hors ligne.
import type { ScalarKind } from './types.js';

type Row = Record<string, unknown>;


export function evaluateFilter(filter: unknown, row: Row, kinds: Record<string, ScalarKind>): boolean {
  if (filter === undefined || filter === null) return true;
  return Object.entries(filter as Record<string, unknown>).every(([key, value]) => {
    if (key === 'and') return (value as unknown[]).every((f) => evaluateFilter(f, row, kinds));
    if (key === 'or') return (value as unknown[]).some((f) => evaluateFilter(f, row, kinds));
    if (key === 'not') {
      const inner = Array.isArray(value) ? { and: value } : (value as Record<string, unknown>);
      return Object.keys(inner).length === 0 ? false : !evaluateFilter(inner, row, kinds);
    }
    const kind = kinds[key]!;
    const spec = typeof value === 'object' && value !== null && !Array.isArray(value) && kind !== 'json' ? value : { eq: value };
    return Object.entries(spec as Record<string, unknown>).every(([op, operand]) => leaf(kind, row[key], op, operand));
  });
}

/** Valeur comparable : instants en millisecondes, décimaux en nombres, le reste tel quel. */
function norm(kind: ScalarKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'datetime') return new Date(value as string).getTime();
  if (kind === 'decimal' || kind === 'integer') return Number(value);
  if (kind === 'boolean') return value === true || value === 'true';
  if (kind === 'uuid') return String(value).toLowerCase();
  return value;
}

function likeToRegExp(pattern: string, flags: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += escape(pattern[++i]!);
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escape(c);
  }
  return new RegExp(`^${source}$`, flags);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function leaf(kind: ScalarKind, raw: unknown, op: string, operand: unknown): boolean {
  if (op === 'null') {
    const wantNull = operand === true || operand === 'true';
    const isNull = raw === null || raw === undefined || (kind === 'tags' && (raw as unknown[]).length === 0);
    return wantNull === isNull;
  }
  if (kind === 'tags') {
    const tags = (raw as string[] | null) ?? null;
    if (op === 'eq') return tags !== null && tags.includes(operand as string);
    const overlap = tags !== null && (operand as string[]).some((t) => tags.includes(t));
    return op === 'in' ? overlap : !overlap;
  }
  const x = norm(kind, raw);
  if (op === 'neq') return x === null || x !== norm(kind, operand);
  if (op === 'nin') return x === null || !(operand as unknown[]).some((v) => norm(kind, v) === x);
  if (x === null) return false;
  switch (op) {
    case 'eq': return kind === 'json' ? JSON.stringify(raw) === JSON.stringify(operand) : x === norm(kind, operand);
    case 'lt': return (x as number) < (norm(kind, operand) as number);
    case 'lte': return (x as number) <= (norm(kind, operand) as number);
    case 'gt': return (x as number) > (norm(kind, operand) as number);
    case 'gte': return (x as number) >= (norm(kind, operand) as number);
    case 'in': return (operand as unknown[]).some((v) => norm(kind, v) === x);
    case 'like': return likeToRegExp(operand as string, 'u').test(x as string);
    case 'ilike': return likeToRegExp((operand as string).toLowerCase(), 'u').test((x as string).toLowerCase());
    case 'between': {
      const [low, high] = operand as unknown[];
      return (x as number) >= (norm(kind, low) as number) && (x as number) <= (norm(kind, high) as number);
    }
  }
  return false;
}
