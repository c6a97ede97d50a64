// Qui peut écrire un champ par les chemins génériques (API, import, règles d'automatisation), d'après ses métadonnées.
// Le code de confiance (crochets, services, contexte système) n'est pas un chemin générique : il écrit aussi les champs
// en lecture seule et internes, mais ses valeurs passent le même contrôle de type (validateHookOutput).
import { FIELD_WRITERS, type FieldWriter } from '@opsflux/sdk';
import type { Locale } from '../text/messages.js';
import type { FieldModel } from './model.js';

const NONE: readonly FieldWriter[] = [];
const API_ONLY: readonly FieldWriter[] = ['api'];

/** Chemins génériques qui peuvent écrire le champ (voir FieldDefinition.writableBy). */
export function writersOf(field: FieldModel): readonly FieldWriter[] {
  const def = field.def;
  if (def.internal || def.readOnly || field.type === 'computed' || field.type === 'children') return NONE;
  // un secret saisi en clair est transformé (chiffré, haché) par le crochet de son entité : l'API seule l'écrit
  const defaults = def.writeOnly ? API_ONLY : FIELD_WRITERS;
  return def.writableBy ? defaults.filter((w) => def.writableBy!.includes(w)) : defaults;
}

export function writableBy(field: FieldModel, writer: FieldWriter): boolean {
  return writersOf(field).includes(writer);
}

const WRITER_NAMES: Record<Locale, Record<FieldWriter, string>> = {
  en: { api: 'the API', import: 'an import', rules: 'an automation rule' },
  fr: { api: "l'API", import: 'un import', rules: "une règle d'automatisation" },
};

/** Refus d'écriture d'un champ par un chemin : `read_only` (lecture seule pour tous) ou `not_writable` (pour ce chemin). */
export function writeRefusal(field: FieldModel, writer: FieldWriter, locale: Locale): { code: string; params?: Record<string, string> } {
  if (field.def.readOnly || field.type === 'computed') return { code: 'read_only' };
  return { code: 'not_writable', params: { writer: WRITER_NAMES[locale][writer] } };
}
