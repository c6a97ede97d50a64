// Gestionnaire d'erreurs unique : tout sort en application/problem+json, jamais de 500 pour une entrée invalide.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../engine/errors.js';
import { message, pickLocale } from '../text/messages.js';
import { problemBody, ProblemError } from '../errors/problem.js';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
  FST_ERR_VALIDATION: [400, 'validation_failed'],
};

/** Erreurs du routeur, levées avant toute route : encodage pour-cent invalide, segment de chemin trop long. */
const ROUTER_CODES: Record<string, [number, string]> = {
  FST_ERR_BAD_URL: [400, 'bad_url'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri_too_long'],
};

/** `frameworkErrors` de Fastify : sans lui, ces réponses partent en JSON simple et non en problem+json. */
export function sendRouterProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const [status, code] = ROUTER_CODES[error.code] ?? [error.statusCode ?? 500, 'bad_request'];
  return sendProblem(request, reply, new ProblemError(status, code, message(pickLocale(request.headers['accept-language']), code)));
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  if (problem.headers) reply.headers(problem.headers);
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problemBody(problem), instance: request.url.split('?')[0], requestId: request.id });
}

/**
 * Corps multipart mal formé (délimiteur absent, vide ou trop long, corps tronqué) : busboy lève des Error ordinaires,
 * sans code, dont seul le message dit la cause ; elles surgissent à la lecture du fichier, dans toute route d'envoi.
 */
const MULTIPART_FAULT = /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot (be an empty String\/Buffer|have a length bigger than 256)\.)$/;

function malformedMultipart(error: unknown, request: FastifyRequest): boolean {
  return error instanceof Error && !('code' in error) && request.isMultipart?.() === true && MULTIPART_FAULT.test(error.message);
}

/** Erreur inattendue (500) d'une requête, remise au journal des erreurs. */
export type UnhandledError = (error: unknown, request: FastifyRequest) => void;

export function installErrorHandling(app: FastifyInstance, onUnhandled: UnhandledError = () => undefined): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = pickLocale(request.headers['accept-language']);
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const errors = error.validation?.map((v) => ({
        field: (v.instancePath || String(v.params?.missingProperty ?? '')).replace(/^\//, '').replace(/\//g, '.'),
        code: v.keyword,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(request, reply, new ProblemError(known[0], known[1], error.message, errors));
    }
    const problem = toProblem(error, locale, request.entityModel);
    if (problem) return sendProblem(request, reply, problem);
    if (malformedMultipart(error, request)) return sendProblem(request, reply, new ProblemError(400, 'malformed_multipart', message(locale, 'malformed_multipart')));
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, new ProblemError(error.statusCode, 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    onUnhandled(error, request);
    return sendProblem(request, reply, new ProblemError(500, 'internal_error', 'An unexpected error occurred'));
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new ProblemError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`)));
}
