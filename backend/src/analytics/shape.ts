// Mise en forme du résultat d'une analyse : valeurs typées (comptes en nombres, décimaux et montants en texte exact,
// arrondis à la devise), ligne « autres », totaux, rapprochement de la période de comparaison, tableau croisé.
import type { AnalyticsPivot, AnalyticsRow } from '@opsflux/sdk';
import { Decimal } from 'decimal.js';
import type { PlannedDimension, PlannedMeasure } from './compile.js';
import { addShift, bucketStart, type PeriodShift } from './periods.js';

const D = Decimal.clone({ precision: 40 });
/** décimales gardées d'une moyenne ou d'un centile non monétaire */
const AVERAGE_PLACES = 6;

export interface ShapeOptions {
  /** décimales de la devise de l'analyse (montants convertis) */
  minorUnits?: number;
  rounding?: 'halfUp' | 'halfEven';
}

function measureValue(value: unknown, measure: PlannedMeasure, options: ShapeOptions): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return measure.type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  switch (measure.type) {
    case 'integer': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    case 'money': {
      const mode = options.rounding === 'halfEven' ? Decimal.ROUND_HALF_EVEN : Decimal.ROUND_HALF_UP;
      return new D(String(value)).toFixed(options.minorUnits ?? 2, mode);
    }
    case 'decimal': {
      const exact = new D(String(value));
      return measure.spec.fn === 'avg' ? exact.toDecimalPlaces(AVERAGE_PLACES).toString() : exact.toString();
    }
    case 'number': return Number(new D(String(value)).toDecimalPlaces(AVERAGE_PLACES));
    default: return value;
  }
}

function dimensionValue(value: unknown, dimension: PlannedDimension): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return dimension.type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (dimension.type === 'integer' && typeof value === 'string') return Number(value);
  if (dimension.type === 'boolean' && typeof value === 'string') return value === 'true';
  return value;
}

export interface RawResult {
  rows: AnalyticsRow[];
  totals: Record<string, unknown>;
}

/** Lignes SQL (`g0…`, `m0…`, `__total`, `__other`) en lignes d'analyse ; la ligne des totaux est mise à part. */
export function shapeRows(raw: Record<string, unknown>[], dims: PlannedDimension[], measures: PlannedMeasure[], options: ShapeOptions, keepOthers: boolean): RawResult {
  const values = (row: Record<string, unknown>) => Object.fromEntries(measures.map((m, i) => [m.name, measureValue(row[`m${i}`], m, options)]));
  let totals: Record<string, unknown> = Object.fromEntries(measures.map((m) => [m.name, m.type === 'integer' ? 0 : null]));
  const rows: AnalyticsRow[] = [];
  for (const row of raw) {
    if (row.__total === true && dims.length > 0) {
      totals = values(row);
      continue;
    }
    if (dims.length === 0) {
      totals = values(row);
      rows.push({ keys: {}, values: totals });
      continue;
    }
    const other = row.__other === true;
    if (other && !keepOthers) continue;
    const keys = Object.fromEntries(dims.map((d, i) => [d.name, other && i === 0 ? null : dimensionValue(row[`g${i}`], d)]));
    rows.push(other ? { keys, values: values(row), others: true } : { keys, values: values(row) });
  }
  return { rows, totals };
}

/** Variation relative ; null quand la base vaut 0 ou manque (jamais de division par zéro). */
function change(current: unknown, previous: unknown): number | null {
  if (current === null || previous === null || previous === undefined) return null;
  const base = new D(String(previous));
  if (base.isZero()) return null;
  return Number(new D(String(current)).minus(base).div(base.abs()).toDecimalPlaces(6));
}

export interface ComparisonOptions {
  shift: PeriodShift;
  /** nom de la dimension de période du champ comparé, avec son découpage, s'il y en a une */
  periodDimensions: PlannedDimension[];
  fiscalStartMonth: number;
}

/**
 * Rapproche les lignes de la période de comparaison de celles de la période analysée : mêmes clés, les périodes
 * du champ comparé avancées du décalage. Une ligne sans vis-à-vis a des valeurs précédentes nulles.
 */
export function attachComparison(current: RawResult, previous: RawResult, measures: PlannedMeasure[], options: ComparisonOptions): void {
  const keyOf = (row: AnalyticsRow, shifted: boolean) => JSON.stringify([row.others === true, ...Object.entries(row.keys).map(([name, value]) => {
    const period = options.periodDimensions.find((d) => d.name === name);
    if (!shifted || !period || typeof value !== 'string') return value;
    return bucketStart(addShift(value, options.shift, 1), period.spec.bucket!, options.fiscalStartMonth);
  })]);
  const byKey = new Map(previous.rows.map((row) => [keyOf(row, true), row]));
  for (const row of current.rows) {
    const match = byKey.get(keyOf(row, false));
    row.previous = Object.fromEntries(measures.map((m) => [m.name, match?.values[m.name] ?? null]));
    row.change = Object.fromEntries(measures.map((m) => [m.name, change(row.values[m.name], row.previous![m.name])]));
  }
}

/** Tableau croisé : les dimensions nommées passent en colonnes, dans l'ordre de première apparition. */
export function pivotRows(rows: AnalyticsRow[], dims: PlannedDimension[], columns: string[]): AnalyticsPivot {
  const rowDims = dims.map((d) => d.name).filter((n) => !columns.includes(n));
  const pick = (keys: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((n) => [n, keys[n]]));
  const columnIndex = new Map<string, number>();
  const columnKeys: Array<Record<string, unknown>> = [];
  const lines = new Map<string, { keys: Record<string, unknown>; cells: Array<Record<string, unknown> | null> }>();
  for (const row of rows) {
    const colKeys = pick(row.keys, columns);
    const colId = JSON.stringify(colKeys);
    if (!columnIndex.has(colId)) {
      columnIndex.set(colId, columnKeys.length);
      columnKeys.push(colKeys);
    }
    const rowKeys = pick(row.keys, rowDims);
    const rowId = JSON.stringify([row.others === true, rowKeys]);
    let line = lines.get(rowId);
    if (!line) lines.set(rowId, (line = { keys: rowKeys, cells: [] }));
    line.cells[columnIndex.get(colId)!] = row.values;
  }
  const data = [...lines.values()].map((line) => ({ keys: line.keys, cells: Array.from({ length: columnKeys.length }, (_, i) => line.cells[i] ?? null) }));
  return { rows: rowDims, columns, columnKeys, data };
}
