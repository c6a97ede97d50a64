// Action `setFields` d'une règle d'automatisation : ses valeurs sont validées comme une saisie (type, format, valeurs
// permises, longueur) et ne visent que les champs que les métadonnées permettent aux règles — jamais un secret, un
// élément d'authentification, ni un champ qu'un crochet de code contrôle (droits, identité, adresses appelées), car
// les règles posent leurs valeurs après ces crochets. Contrôlée à l'enregistrement de la règle, et de nouveau à chaque
// exécution : une règle enregistrée avant (ou des métadonnées changées depuis) ne passe pas outre.
import type { FieldError } from '@opsflux/sdk';
import type { EntityModel } from '../../engine/model.js';
import { validateInput } from '../../engine/validate.js';
import { writableBy, writeRefusal } from '../../engine/writers.js';
import { message, type Locale } from '../../text/messages.js';
import { isObject } from './rule-actions.js';

/** Valeurs normalisées pour leurs colonnes (par nom de champ), ou erreurs par champ de l'entité (`values` : absentes). */
export function checkSetFields(model: EntityModel, values: unknown, locale: Locale): { values: Record<string, unknown>; errors: FieldError[] } {
  if (!isObject(values) || !Object.keys(values).length) {
    return { values: {}, errors: [{ field: '', code: 'required', message: 'An object of field values' }] };
  }
  const errors: FieldError[] = [];
  const known: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    // champs de l'entité seulement : ni id, ni eid, ni colonnes système
    if (model.byName.has(name)) known[name] = value;
    else errors.push({ field: name, code: 'unknown_field', message: message(locale, 'unknown_field', { field: name }) });
  }
  const byRules = validateInput(model, known, 'update', locale, (field) => writableBy(field, 'rules') || writeRefusal(field, 'rules', locale));
  errors.push(...byRules.errors);
  return { values: Object.fromEntries([...byRules.result.values].map(([field, value]) => [field.name, value])), errors };
}
