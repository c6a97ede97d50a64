// Traduction des erreurs PostgreSQL et du moteur en problèmes HTTP (jamais de 500 pour une entrée invalide).
import type { FieldError } from '@opsflux/sdk';
import { FilterError } from './filter/types.js';
import { message, type Locale } from '../text/messages.js';
import { ProblemError } from '../errors/problem.js';
import { QueryError } from './query/list.js';
import type { EntityModel } from './model.js';
import { columnsOf } from './schema/columns.js';
import { TREE_CYCLE_SQLSTATE } from '../db/sqlstates.js';

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

function fieldOfConstraint(model: EntityModel | undefined, constraint: string | undefined): string {
  if (!model || !constraint) return '';
  if (constraint.endsWith('_eid_key')) return 'eid';
  for (const field of model.fields) {
    for (const column of columnsOf(field)) {
      if (constraint.includes(`_${column.name}_`)) return field.name;
    }
  }
  return '';
}

export function toProblem(error: unknown, locale: Locale, model?: EntityModel): ProblemError | null {
  if (error instanceof ProblemError) return error;
  if (error instanceof FilterError || error instanceof QueryError) {
    const field = error instanceof FilterError ? error.path : error.field;
    const text = message(locale, error.code, { field });
    const fieldError: FieldError = { field, code: error.code, message: text === error.code ? error.message : text };
    return new ProblemError(400, error.code, error.message, [fieldError]);
  }
  const pg = error as PgError;
  if (typeof pg?.code !== 'string' || pg.code.length !== 5) return null;
  const field = fieldOfConstraint(model, pg.constraint);
  const one = (code: string): FieldError[] => [{ field, code, message: message(locale, code, { field }) }];
  switch (pg.code) {
    case '23505':
      return new ProblemError(409, 'duplicate', field ? `Duplicate value for ${field}` : 'Duplicate value', one('duplicate'));
    case '23503':
      return new ProblemError(400, 'invalid_reference', 'A referenced record does not exist', one('invalid_reference'));
    case '23502': case '23514':
      return new ProblemError(400, 'constraint_violation', 'A constraint is not satisfied', one('invalid_value'));
    case '42501':
      return new ProblemError(403, 'forbidden', 'Forbidden');
    case '40001': case '40P01':
      return new ProblemError(409, 'concurrent_update', 'Concurrent update, retry the request');
    case '57014':
      return new ProblemError(503, 'timeout', 'The query took too long');
    case '54001':
      return new ProblemError(400, 'too_complex', 'The request is too complex');
  }
  if (pg.code === TREE_CYCLE_SQLSTATE) {
    return new ProblemError(422, 'tree_cycle', 'A record cannot be moved under itself or one of its descendants',
      [{ field: 'parent', code: 'tree_cycle', message: message(locale, 'tree_cycle') }]);
  }
  if (pg.code.startsWith('22')) return new ProblemError(400, 'invalid_value', 'Invalid value', one('invalid_value'));
  return null;
}
