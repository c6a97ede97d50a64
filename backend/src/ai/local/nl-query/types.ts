// Résultat du parseur de questions : une requête de lecture (entité, filtre JSON, tri, agrégat) ou un refus motivé.
import type { Measure } from '../../../engine/query/aggregate.js';

export type NlLanguage = 'fr' | 'en';

/** Condition sur des enregistrements liés : les `entity` dont `filter` est vrai, rattachés par leur champ `via`. */
export interface NlRelated {
  entity: string;
  via: string;
  filter: Record<string, unknown>;
}

export interface NlAggregate {
  measures: Measure[];
  groupBy: string[];
}

/** Valeur connue d'un champ (lue avec les droits de l'utilisateur) : « Lyon » → address.city. */
export interface ValueTerm {
  path: string;
  value: string;
  /** valeur portée par une entité liée */
  related?: { entity: string; via: string };
  /** `tags` : la valeur est une étiquette (eq = contient) */
  label: string;
}

export interface NlUnderstood {
  understood: true;
  language: NlLanguage;
  entity: string;
  filter: Record<string, unknown>;
  related: NlRelated[];
  sort?: string;
  limit?: number;
  /** la question demande un nombre d'enregistrements */
  count: boolean;
  aggregate?: NlAggregate;
  confidence: number;
  /** mots de la question que le parseur n'a pas reconnus */
  ignored: string[];
}

export type NlRefusal = 'empty' | 'destructive' | 'no_entity' | 'not_understood';

export interface NlNotUnderstood {
  understood: false;
  language: NlLanguage;
  reason: NlRefusal;
  suggestions: string[];
}

export type NlParse = NlUnderstood | NlNotUnderstood;
