// Erreurs métier exprimées en problem+json (RFC 9457) ; le gestionnaire HTTP les sérialise.
import type { FieldError, Problem } from '@opsflux/sdk';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  428: 'Precondition Required', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? TITLES[status] ?? code);
  }
  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }
}

export const notFound = (detail = 'Not found') => new ProblemError(404, 'not_found', detail);
export const badRequest = (code: string, detail: string, errors?: FieldError[]) => new ProblemError(400, code, detail, errors);
export const validationFailed = (errors: FieldError[]) =>
  new ProblemError(400, 'validation_failed', 'One or more fields are invalid.', errors);

/** Corps problem+json d'une erreur (l'adresse de la requête et son identifiant s'y ajoutent en HTTP). */
export function problemBody(problem: ProblemError): Problem {
  return {
    type: `https://opsflux.dev/problems/${problem.code.replace(/_/g, '-')}`,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    code: problem.code,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}
