// Forme du contrat HTTP d'une analyse, ramenée à la requête interne (`op` → `fn`, dimension en simple nom, tri en
// texte, `limit`), et lignes aussi données à plat (dimensions sous leur nom, mesures en nombres `count`,
// `<fn>_<champ>`), comme le décrit le contrat ; la forme détaillée (`keys`, `values`…) reste.
import type { AnalyticsMeasure, AnalyticsQuery, AnalyticsQueryInput, AnalyticsResult } from '@opsflux/sdk';
import { dimensionNameOf, measureNameOf } from './compile.js';

/** Nom à plat d'une mesure : `as`, sinon `count` ou `<fn>_<champ>` (`p90_<champ>` pour un centile). */
export const flatMeasureName = (m: AnalyticsMeasure): string =>
  m.as ?? (m.field ? `${m.fn === 'percentile' ? `p${Math.round((m.p ?? 0.5) * 100)}` : m.fn}_${m.field}` : m.fn);

export function fromContract(input: AnalyticsQueryInput): AnalyticsQuery {
  const { limit: _limit, dimensions: given, sort: _sort, ...rest } = input;
  const measures = input.measures.map((m): AnalyticsMeasure => {
    if ('fn' in m && m.fn) return m;
    const { op, ...others } = m as Omit<AnalyticsMeasure, 'fn'> & { op: AnalyticsMeasure['fn'] };
    return { ...others, fn: op };
  });
  const dimensions = given?.map((d) => (typeof d === 'string' ? { field: d } : d));
  const query: AnalyticsQuery = { ...rest, measures, ...(dimensions ? { dimensions } : {}) };
  if (typeof input.sort === 'string') {
    // noms à plat ou internes, `-` pour décroissant
    const names = new Map<string, string>([
      ...measures.map((m) => [flatMeasureName(m), measureNameOf(m)] as const),
      ...(dimensions ?? []).map((d) => [d.as ?? d.field, dimensionNameOf(d)] as const),
    ]);
    query.sort = input.sort.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const name = s.replace(/^[-+]/, '');
      return { by: names.get(name) ?? name, desc: s.startsWith('-') };
    });
  } else if (input.sort) {
    query.sort = input.sort;
  }
  return query;
}

/** Propriétés de la forme détaillée d'une ligne : jamais écrasées par un nom à plat. */
const DETAILED = new Set(['keys', 'values', 'previous', 'change', 'others', 'drill']);

/** Lignes à plat ajoutées à chaque ligne ; `limit` borne le nombre de lignes renvoyées. */
export function withFlatRows(result: AnalyticsResult, query: AnalyticsQuery, limit?: number): AnalyticsResult {
  const rows = limit === undefined ? result.rows : result.rows.slice(0, limit);
  for (const row of rows) {
    for (const d of query.dimensions ?? []) if (!DETAILED.has(d.as ?? d.field)) row[d.as ?? d.field] = row.keys[dimensionNameOf(d)];
    for (const m of query.measures) {
      const value = row.values[measureNameOf(m)];
      if (!DETAILED.has(flatMeasureName(m))) row[flatMeasureName(m)] = value === null || value === undefined ? null : Number(value);
    }
  }
  return { ...result, rows };
}
