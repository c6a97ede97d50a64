// Réponse structurée d'un modèle qui remplit des champs d'un enregistrement : une valeur par champ (énumération : ses
// valeurs, nombre, booléen, date, texte borné) et la confiance du modèle entre 0 et 1 ; description des champs pour
// les consignes. Sert aux actions `ai` des règles d'automatisation et aux suggestions sur les champs des fiches.
import type { JSONSchema7 } from 'ai';
import type { FieldModel } from '../engine/model.js';

/** Réponse conforme à `outputSchema`. */
export interface FilledFields {
  values: Record<string, unknown>;
  confidence: number;
}

function fieldSchema(field: FieldModel): JSONSchema7 {
  switch (field.type) {
    case 'enum': return { type: 'string', enum: field.def.options?.values ?? [] };
    case 'integer': return { type: 'integer' };
    case 'decimal': return { type: 'number' };
    case 'boolean': return { type: 'boolean' };
    case 'date': return { type: 'string', description: 'YYYY-MM-DD' };
    default: return { type: 'string', ...(field.def.maxLength ? { maxLength: field.def.maxLength } : {}) };
  }
}

export function outputSchema(fields: FieldModel[]): JSONSchema7 {
  return {
    type: 'object', additionalProperties: false, required: ['values', 'confidence'],
    properties: {
      values: {
        type: 'object', additionalProperties: false, required: fields.map((f) => f.name),
        properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
      },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
    },
  };
}

/** Un champ tel que les consignes le nomment : nom, libellé anglais et description. */
export const fieldSummary = (field: FieldModel): string =>
  `${field.name} (${field.def.label?.en ?? field.name}${field.def.description ? `: ${field.def.description}` : ''})`;
