// Contrat du compilateur de filtres JSON : il ne connaît ni les tables ni les jointures, seulement des chemins résolus.
import type { RawBuilder } from 'kysely';
import type { FieldType } from '@opsflux/sdk';

/** Type de valeur d'un chemin, pour contrôler et convertir les valeurs des filtres. */
export type ScalarKind =
  | 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'json' | 'tags';

export interface ResolvedPath {
  /** expression SQL de la valeur (colonne qualifiée, éventuellement au travers de jointures) */
  expr: RawBuilder<unknown>;
  kind: ScalarKind;
  /** type déclaré du champ d'origine (pour les messages) */
  fieldType: FieldType | 'system';
  /** enum : valeurs permises */
  enumValues?: readonly string[];
}

export interface FilterContext {
  /** Résout un chemin (`name`, `customer.name`, `price.currency`) ; lève FilterError si inconnu ou masqué. */
  resolve(path: string): ResolvedPath;
  /** Variables de règles (`$user.id`…) ; absentes : une chaîne commençant par `$` est une valeur littérale. */
  variables?: Record<string, unknown>;
}

export class FilterError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const FILTER_LIMITS = { maxDepth: 8, maxNodes: 200, maxInList: 1000, maxStringLength: 1000 } as const;

/** Opérateurs du langage de filtres (clés d'un objet d'opérateurs). */
export const FILTER_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'like', 'ilike', 'null', 'between'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Codes stables des erreurs de filtre (`unknown_field` est levé par `ctx.resolve`). */
export type FilterErrorCode =
  | 'invalid_filter' | 'unknown_operator' | 'operator_not_allowed' | 'invalid_value' | 'filter_too_complex' | 'unknown_field';
