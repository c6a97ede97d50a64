// Libellés français et anglais des colonnes d'une analyse, tirés des métadonnées (« Client › Pays », « Somme de Total »).
import type { AnalyticsBucket, AnalyticsColumn, AnalyticsFunction } from '@opsflux/sdk';
import type { EntityModel, FieldModel } from '../engine/model.js';
import type { Catalog } from '../engine/registry.js';
import type { PlannedDimension, PlannedMeasure } from './compile.js';

type Label = Record<'en' | 'fr', string>;

const FUNCTIONS: Record<AnalyticsFunction, Label> = {
  count: { en: 'Count', fr: 'Nombre' },
  countDistinct: { en: 'Distinct', fr: 'Distincts' },
  sum: { en: 'Sum', fr: 'Somme' },
  avg: { en: 'Average', fr: 'Moyenne' },
  min: { en: 'Minimum', fr: 'Minimum' },
  max: { en: 'Maximum', fr: 'Maximum' },
  percentile: { en: 'Percentile', fr: 'Centile' },
};

const BUCKETS: Record<AnalyticsBucket, Label> = {
  day: { en: 'day', fr: 'jour' }, week: { en: 'week', fr: 'semaine' }, month: { en: 'month', fr: 'mois' },
  quarter: { en: 'quarter', fr: 'trimestre' }, year: { en: 'year', fr: 'année' },
  fiscalQuarter: { en: 'fiscal quarter', fr: 'trimestre fiscal' }, fiscalYear: { en: 'fiscal year', fr: 'exercice' },
};

/** Libellé d'un chemin pointé et entité visée quand sa dernière étape est une référence. */
export function pathLabel(model: EntityModel, catalog: Catalog, path: string): { label: Label; ref?: string } {
  const parts: Label[] = [];
  let current: EntityModel | undefined = model;
  let ref: string | undefined;
  for (const segment of path.split('.')) {
    const field: FieldModel | undefined = current?.byName.get(segment);
    const label = field?.def.label as Partial<Label> | undefined;
    parts.push({ en: label?.en ?? segment, fr: label?.fr ?? label?.en ?? segment });
    ref = field && (field.type === 'ref' || field.type === 'file') ? field.def.options?.to : undefined;
    current = ref ? catalog.get(ref) : undefined;
  }
  const join = (lang: 'en' | 'fr') => parts.map((p) => p[lang]).join(' › ');
  return { label: { en: join('en'), fr: join('fr') }, ref };
}

export function columnsOf(model: EntityModel, catalog: Catalog, dims: PlannedDimension[], measures: PlannedMeasure[]): AnalyticsColumn[] {
  const dimensionColumns = dims.map((d): AnalyticsColumn => {
    const { label, ref } = pathLabel(model, catalog, d.spec.field);
    const bucket = d.spec.bucket ? BUCKETS[d.spec.bucket] : undefined;
    const full = bucket ? { en: `${label.en} (${bucket.en})`, fr: `${label.fr} (${bucket.fr})` } : label;
    return { name: d.name, role: 'dimension', type: d.type, label: full, ...(ref && !d.spec.bucket ? { ref } : {}) };
  });
  const measureColumns = measures.map((m): AnalyticsColumn => {
    const fn = FUNCTIONS[m.spec.fn];
    const p = m.spec.fn === 'percentile' ? ` ${Math.round((m.spec.p ?? 0.5) * 100)}` : '';
    if (!m.spec.field) return { name: m.name, role: 'measure', type: m.type, label: fn };
    const { label } = pathLabel(model, catalog, m.spec.field);
    return { name: m.name, role: 'measure', type: m.type, label: { en: `${fn.en}${p} of ${label.en}`, fr: `${fn.fr}${p} de ${label.fr}` } };
  });
  return [...dimensionColumns, ...measureColumns];
}
