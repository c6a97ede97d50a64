// Correspondance colonnes du fichier → champs de l'entité : par nom de champ ou libellé (français, anglais), sans
// tenir compte de la casse, des accents ni de la ponctuation ; ou imposée (modèle enregistré, paramètre `mapping`).
import type { FieldError } from '@opsflux/sdk';
import type { EntityModel, FieldModel } from '../../engine/model.js';

/** Destination d'une colonne : un champ, l'identifiant externe, ou l'identifiant interne (demandé explicitement). */
export type Target = FieldModel | 'eid' | 'id';

export interface ColumnPlan {
  header: string;
  target: Target;
}

export interface MappingPlan {
  columns: ColumnPlan[];
  /** colonnes sans champ (champs système d'un export, colonnes inconnues) */
  ignored: string[];
}

/** Champs qu'un import peut écrire : ni calculés, ni internes, ni listes d'enfants. */
export function importable(field: FieldModel): boolean {
  return field.type !== 'computed' && field.type !== 'children' && !field.def.internal;
}

const normalise = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Nom normalisé → destination, pour les noms et libellés de chaque champ. */
function candidates(model: EntityModel): Map<string, Target> {
  const byKey = new Map<string, Target>([['eid', 'eid'], ['externalid', 'eid'], ['identifiantexterne', 'eid']]);
  for (const field of model.fields.filter(importable)) {
    for (const name of [field.name, ...Object.values(field.def.label ?? {})]) {
      if (!name) continue;
      const key = normalise(name);
      if (key && !byKey.has(key)) byKey.set(key, field);
    }
  }
  return byKey;
}

/**
 * Plan des colonnes. `explicit` : en-tête → nom de champ (ou null pour ignorer la colonne) ; les autres en-têtes
 * sont rapprochés automatiquement. Une destination inconnue ou deux colonnes vers le même champ sont des erreurs.
 */
export function planColumns(model: EntityModel, headers: string[], explicit: Record<string, string | null> = {}): { plan: MappingPlan; errors: FieldError[] } {
  const byKey = candidates(model);
  const errors: FieldError[] = [];
  const columns: ColumnPlan[] = [];
  const ignored: string[] = [];
  const used = new Map<string, string>();
  for (const header of headers) {
    let target: Target | undefined;
    if (Object.hasOwn(explicit, header)) {
      const name = explicit[header];
      if (name === null || name === undefined) {
        ignored.push(header);
        continue;
      }
      target = name === 'eid' || name === 'id' ? name : model.byName.get(name);
      if (target === undefined || (typeof target !== 'string' && !importable(target))) {
        errors.push({ field: `mapping.${header}`, code: 'unknown_field', message: `"${name}" is not an importable field of ${model.name}` });
        continue;
      }
    } else {
      target = byKey.get(normalise(header));
      if (!target) {
        ignored.push(header);
        continue;
      }
    }
    const name = typeof target === 'string' ? target : target.name;
    if (used.has(name)) {
      errors.push({ field: `mapping.${header}`, code: 'duplicate_mapping', message: `Columns "${used.get(name)}" and "${header}" both map to ${name}` });
      continue;
    }
    used.set(name, header);
    columns.push({ header, target });
  }
  for (const key of Object.keys(explicit)) {
    if (!headers.includes(key)) errors.push({ field: `mapping.${key}`, code: 'unknown_column', message: `The file has no column "${key}"` });
  }
  // colonnes système d'un export (id, version, dates…) : ignorées, l'id n'est lu que s'il est demandé explicitement
  return { plan: { columns, ignored }, errors };
}
