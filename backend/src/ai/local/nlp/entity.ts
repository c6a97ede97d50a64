// Entité nommée trouvée dans un texte : sa sorte, le passage (positions en unités UTF-16 du texte), sa valeur
// normalisée et, quand elle désigne un enregistrement que l'utilisateur peut lire, cet enregistrement.
export const ENTITY_TYPES = ['person', 'organisation', 'amount', 'date', 'record', 'email', 'phone'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface RecordMatch {
  entity: string;
  id: string;
  label: string;
}

export interface TextEntity {
  type: EntityType;
  text: string;
  start: number;
  end: number;
  /** montant : {amount, currency} ; date : AAAA-MM-JJ ; courriel, téléphone : forme normalisée */
  value?: unknown;
  match?: RecordMatch;
}

/** Les entités sans chevauchement : la première trouvée (ordre des extracteurs) garde son passage. */
export function withoutOverlaps(entities: TextEntity[]): TextEntity[] {
  const kept: TextEntity[] = [];
  for (const e of entities) if (!kept.some((k) => e.start < k.end && k.start < e.end)) kept.push(e);
  return kept.sort((a, b) => a.start - b.start);
}
