// Série d'une entité : agrégat du moteur par période d'un champ date, avec les droits de l'appelant (permissions,
// règles d'enregistrements, champs masqués). Les périodes sans enregistrement valent 0 pour un compte ou une somme et
// reprennent la valeur précédente pour une moyenne ; la période en cours, incomplète, est écartée d'un compte ou
// d'une somme (elle tirerait la prévision vers le bas).
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import { measureName, type Measure } from '../../../engine/query/aggregate.js';
import type { Catalog } from '../../../engine/registry.js';
import type { TenantTx } from '../../../engine/tenant-work.js';
import { bucketStart, nextBucket, type ForecastBucket } from './buckets.js';

export interface SeriesPoint {
  t: string;
  value: number;
}

export interface EntitySeriesQuery {
  entity: string;
  dateField: string;
  measure: Measure;
  filter?: unknown;
  bucket: ForecastBucket;
}

export interface SeriesDeps {
  records: RecordService;
  tenantTx: TenantTx;
}

export async function entitySeries(deps: SeriesDeps, ctx: RequestContext, catalog: Catalog, query: EntitySeriesQuery, today = new Date()): Promise<SeriesPoint[]> {
  const model = deps.records.entity(ctx, catalog, query.entity, 'read');
  const groups = await deps.tenantTx(ctx, (trx) => deps.records.aggregate(trx, ctx, catalog, model, {
    measures: [query.measure], filter: query.filter, bucket: { path: query.dateField, unit: query.bucket },
  }));
  const name = measureName(query.measure);
  const known = new Map<string, number>();
  for (const g of groups) {
    const t = g.keys[query.dateField];
    const value = Number(g.values[name]);
    if (typeof t === 'string' && Number.isFinite(value)) known.set(t, value);
  }
  if (known.size === 0) return [];
  const starts = [...known.keys()].sort();
  const additive = query.measure.fn === 'count' || query.measure.fn === 'sum';
  let last = starts.at(-1)!;
  if (additive && last === bucketStart(today, query.bucket)) last = starts.at(-2) ?? '';
  const points: SeriesPoint[] = [];
  let previous = 0;
  for (let t = starts[0]!; t <= last; t = nextBucket(t, query.bucket)) {
    const value = known.get(t) ?? (additive ? 0 : previous);
    points.push({ t, value });
    previous = value;
  }
  return points;
}
