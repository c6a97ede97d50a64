// Valeurs JSON d'une instruction : connues côté Node (paramètre) ou calculées en SQL dans la même instruction.
import { isOperationNodeSource, type RawBuilder } from 'kysely';

/** Valeur connue, ou expression SQL (sur la ligne tout juste insérée, par exemple). */
export type SqlOr<T> = T | RawBuilder<unknown>;

/** Paramètre JSON, ou expression SQL laissée telle quelle. */
export const jsonValue = (value: unknown): unknown => (isOperationNodeSource(value) ? value : JSON.stringify(value));
