// Routes de l'IA : l'assistant (question en flux SSE, conversations, propositions à confirmer ou annuler) et, pour
// les administrateurs, la consommation et le journal des appels.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AssistantEvent } from '../../ai/assistant/assistant.js';
import { MAX_ATTACHMENTS } from '../../ai/assistant/attachments.js';
import { AiUnavailableError, asAiProblem } from '../../ai/gateway.js';
import type { SuggestionStatus } from '../../ai/automation/suggestions.js';
import { USAGE_GROUPINGS, type UsageGrouping } from '../../ai/usage.js';
import type { PlatformServices } from '../../core/services.js';
import { badRequest, ProblemError } from '../../errors/problem.js';
import { requireAdmin, requireAuth } from '../auth.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidParams, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiRouteDeps = Pick<PlatformServices, 'assistant' | 'aiProposals' | 'aiUsage' | 'mcp' | 'aiSuggestions' | 'localAssistant'>;

const tags = ['ai'];
export const MAX_QUESTION_LENGTH = 8000;

const PROPOSAL = {
  type: 'object',
  properties: {
    id: uuidString, conversationId: { type: ['string', 'null'] }, action: { enum: ['create', 'update', 'delete', 'run'], description: 'run: a module action (entity is its tool name, data its arguments)' }, entity: { type: 'string' },
    recordId: { type: ['string', 'null'] }, data: { type: ['object', 'null'], additionalProperties: true }, summary: { type: ['string', 'null'] },
    status: { enum: ['pending', 'applied', 'cancelled'] }, result: { type: ['object', 'null'], additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' }, decidedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const SUGGESTION = {
  type: 'object',
  properties: {
    id: uuidString, ruleId: { type: ['string', 'null'] }, ruleName: { type: ['string', 'null'] }, task: { type: 'string' }, entity: { type: 'string' },
    recordId: uuidString, values: { type: 'object', additionalProperties: true }, confidence: { type: ['number', 'null'] },
    provider: { type: ['string', 'null'] }, model: { type: ['string', 'null'] }, status: { enum: ['pending', 'applied', 'rejected', 'failed'] },
    error: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' }, decidedAt: { type: ['string', 'null'], format: 'date-time' },
    decidedBy: { type: ['string', 'null'] },
  },
};

const schemas = {
  suggestions: routeSchema({
    operationId: 'listAiSuggestions', tags, summary: 'Results of AI actions of automation rules, with their provenance (review queue: status=pending)',
    querystring: {
      type: 'object', additionalProperties: false,
      properties: { status: { enum: ['pending', 'applied', 'rejected', 'failed'] }, entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' }, recordId: uuidString },
    },
    responses: { 200: { description: 'Suggestions of the entities the caller may read', ...json({ type: 'object', properties: { data: { type: 'array', items: SUGGESTION } } }) }, ...problems(400) },
  }),
  approve: routeSchema({
    operationId: 'approveAiSuggestion', tags, summary: 'Apply a pending AI suggestion to its record, with the caller’s rights',
    params: uuidParams('id'),
    responses: { 200: { description: 'Applied', ...json(SUGGESTION) }, ...problems(400, 404, 409, 422) },
  }),
  reject: routeSchema({
    operationId: 'rejectAiSuggestion', tags, summary: 'Reject a pending AI suggestion',
    params: uuidParams('id'),
    responses: { 200: { description: 'Rejected', ...json(SUGGESTION) }, ...problems(404, 409) },
  }),
  chat: routeSchema({
    operationId: 'askAssistant', tags, summary: 'Ask the assistant; the answer streams as server-sent events',
    description: 'Events: conversation {id}, text {delta}, tool-call {id, name, input}, tool-result {id, name, error?}, citation {entity, id, label, link}, '
      + 'proposal {proposal} (a write waiting for POST /api/v1/ai/proposals/{id}/confirm), navigate {link}, done {provider, model, usage, durationMs}, error {problem}. '
      + 'Tools run with the caller’s rights; fields hidden from the caller never reach the model.',
    body: {
      type: 'object', additionalProperties: false, required: ['message'],
      properties: {
        message: { type: 'string', minLength: 1, maxLength: MAX_QUESTION_LENGTH }, conversationId: uuidString,
        attachments: { type: 'array', maxItems: MAX_ATTACHMENTS, uniqueItems: true, items: uuidString, description: 'images attached to records the caller can read (PNG, JPEG, WebP, GIF; 5 MB each), shown to the model' },
      },
    },
    responses: {
      200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      ...problems(400, 404, 429, 503),
    },
  }),
  conversations: routeSchema({
    operationId: 'listAssistantConversations', tags, summary: 'The caller’s conversations, latest first',
    responses: { 200: { description: 'Conversations', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', additionalProperties: true } } } }) } },
  }),
  conversation: routeSchema({
    operationId: 'getAssistantConversation', tags, summary: 'One of the caller’s conversations with its messages',
    params: uuidParams('id'),
    responses: { 200: { description: 'Conversation', ...json({ type: 'object', additionalProperties: true }) }, ...problems(404) },
  }),
  proposals: routeSchema({
    operationId: 'listAssistantProposals', tags, summary: 'Writes the assistant proposed to the caller, latest first',
    querystring: { type: 'object', additionalProperties: false, properties: { conversationId: uuidString } },
    responses: { 200: { description: 'Proposals', ...json({ type: 'object', properties: { data: { type: 'array', items: PROPOSAL } } }) }, ...problems(400) },
  }),
  confirm: routeSchema({
    operationId: 'confirmAssistantProposal', tags, summary: 'Apply a proposed write, with the caller’s rights',
    params: uuidParams('id'),
    responses: { 200: { description: 'Applied', ...json(PROPOSAL) }, ...problems(400, 404, 409, 412, 422) },
  }),
  cancel: routeSchema({
    operationId: 'cancelAssistantProposal', tags, summary: 'Cancel a proposed write',
    params: uuidParams('id'),
    responses: { 200: { description: 'Cancelled', ...json(PROPOSAL) }, ...problems(404, 409) },
  }),
  usage: routeSchema({
    operationId: 'getAiUsage', tags, summary: 'AI calls, tokens and cost of the tenant over a period, grouped (administrators)',
    querystring: {
      type: 'object', additionalProperties: false,
      properties: {
        groupBy: { enum: Object.keys(USAGE_GROUPINGS), description: 'feature by default' },
        from: { type: 'string', format: 'date-time', description: 'start of the current month by default' },
        to: { type: 'string', format: 'date-time', description: 'now by default' },
      },
    },
    responses: {
      200: {
        description: 'Totals',
        ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: {
          key: { type: 'string' }, calls: { type: 'integer' }, failed: { type: 'integer' }, inputTokens: { type: 'integer' }, outputTokens: { type: 'integer' }, cost: { type: 'number' },
        } } } } }),
      },
      ...problems(400),
    },
  }),
  requests: routeSchema({
    operationId: 'listAiRequests', tags, summary: 'Log of AI calls, latest first (prompts and answers only where the tenant keeps them)',
    querystring: {
      type: 'object', additionalProperties: false,
      properties: { limit: { type: 'string', pattern: '^([1-9][0-9]?|1[0-9]{2}|200)$', description: '1 to 200, 50 by default' }, cursor: { type: 'string', pattern: '^[0-9]{1,18}$' } },
    },
    responses: { 200: { description: 'Calls', ...json(pageOf({ type: 'object', additionalProperties: true })) }, ...problems(400) },
  }),
  mcp: routeSchema({
    operationId: 'mcpRequest', tags, summary: 'Model Context Protocol endpoint (streamable HTTP, stateless): the assistant’s tools for external agents',
    description: 'JSON-RPC messages of MCP (initialize, tools/list, tools/call…). Authenticate with a personal access token or an API key (Bearer); its scopes apply. '
      + 'Writes are proposals the user confirms in OpsFlux. Send Accept: application/json, text/event-stream.',
    body: { type: ['object', 'array'] },
    responses: { 200: { description: 'JSON-RPC response', ...json({ type: ['object', 'array'] }) }, 202: { description: 'Notification accepted' }, ...problems(400, 406, 415) },
  }),
  mcpStream: routeSchema({
    operationId: 'mcpStream', tags, summary: 'Not offered: the MCP endpoint is stateless (no server-initiated stream, no session to close)',
    responses: { ...problems(405) },
  }),
};

/** Flux SSE ouvert au premier événement : une erreur d'avant (budget, aucun fournisseur) reste une réponse problem+json. */
function lazyStream(request: FastifyRequest, reply: FastifyReply) {
  let open = false;
  const write = (event: string, data: unknown) => {
    if (!open) {
      open = true;
      reply.hijack();
      reply.raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive', 'X-Accel-Buffering': 'no', 'X-Request-Id': request.id,
      });
    }
    reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return { write, get open() { return open; }, end: () => open && reply.raw.end() };
}

export function registerAiRoutes(app: FastifyInstance, deps: AiRouteDeps): void {
  app.post<{ Body: { message: string; conversationId?: string; attachments?: string[] } }>('/api/v1/ai/chat', { schema: schemas.chat }, async (request, reply) => {
    const ctx = requireAuth(request);
    const stream = lazyStream(request, reply);
    const abort = new AbortController();
    // client parti avant la fin de la réponse (la requête, elle, se ferme dès son corps lu)
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    try {
      await deps.assistant.ask({
        ctx, message: request.body.message, conversationId: request.body.conversationId?.toLowerCase(), signal: abort.signal,
        attachments: request.body.attachments?.map((id) => id.toLowerCase()),
        onEvent: (event: AssistantEvent) => {
          const { type, ...data } = event;
          stream.write(type, data);
        },
      });
    } catch (error) {
      // aucun fournisseur disponible avant toute réponse : réponse locale (analyseur sans modèle de langue), si permise
      if (error instanceof AiUnavailableError && !stream.open && await deps.localAssistant.enabled(ctx)) {
        await deps.localAssistant.answer(ctx, request.body.message, (event) => {
          const { type, ...data } = event;
          stream.write(type, data);
        });
        stream.end();
        return reply;
      }
      const problem = asAiProblem(error, ctx.locale);
      if (!stream.open) throw problem;
      const known = problem instanceof ProblemError ? problem : new ProblemError(500, 'internal_error', 'The assistant stopped unexpectedly');
      if (!(problem instanceof ProblemError)) request.log.error({ err: error }, 'assistant failed mid-stream');
      stream.write('error', { status: known.status, code: known.code, detail: known.message });
    }
    stream.end();
    return reply;
  });

  app.post<{ Body: unknown }>('/api/v1/ai/mcp', { schema: schemas.mcp }, async (request, reply) => {
    const ctx = requireAuth(request);
    if (!ctx.tokenId) {
      throw new ProblemError(401, 'token_required', 'MCP clients authenticate with a personal access token or an API key (Authorization: Bearer …)', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    reply.hijack();
    try {
      await deps.mcp.handle(ctx, request.raw, reply.raw, request.body);
    } catch (error) {
      // réponse déjà prise en main : l'erreur ne peut plus passer par le gestionnaire de Fastify
      request.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'Content-Type': 'application/json' });
      reply.raw.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } }));
    }
  });
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method, url: '/api/v1/ai/mcp', schema: { ...schemas.mcpStream, operationId: `mcp${method === 'GET' ? 'Stream' : 'EndSession'}` },
      handler: async () => {
        throw new ProblemError(405, 'method_not_allowed', 'This MCP endpoint is stateless: POST JSON-RPC messages only', undefined, { Allow: 'POST' });
      },
    });
  }

  app.get('/api/v1/ai/conversations', { schema: schemas.conversations }, async (request) => ({
    data: await deps.assistant.conversations(requireAuth(request)),
  }));

  app.get<{ Params: { id: string } }>('/api/v1/ai/conversations/:id', { schema: schemas.conversation }, async (request) =>
    deps.assistant.conversation(requireAuth(request), request.params.id.toLowerCase()));

  app.get<{ Querystring: { conversationId?: string } }>('/api/v1/ai/proposals', { schema: schemas.proposals }, async (request) => ({
    data: await deps.aiProposals.list(requireAuth(request), request.query.conversationId?.toLowerCase()),
  }));

  for (const decision of ['confirm', 'cancel'] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/ai/proposals/:id/${decision}`, { schema: schemas[decision] }, async (request) =>
      deps.aiProposals.decide(requireAuth(request), request.params.id.toLowerCase(), decision));
  }

  app.get<{ Querystring: { status?: SuggestionStatus; entity?: string; recordId?: string } }>('/api/v1/ai/suggestions', { schema: schemas.suggestions }, async (request) => ({
    data: await deps.aiSuggestions.list(requireAuth(request), { ...request.query, recordId: request.query.recordId?.toLowerCase() }),
  }));
  for (const decision of ['approve', 'reject'] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/ai/suggestions/:id/${decision}`, { schema: schemas[decision] }, async (request) =>
      deps.aiSuggestions.decide(requireAuth(request), request.params.id.toLowerCase(), decision));
  }

  app.get<{ Querystring: { groupBy?: UsageGrouping; from?: string; to?: string } }>('/api/v1/ai/usage', { schema: schemas.usage }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators read the AI usage');
    const now = new Date();
    const from = request.query.from ? new Date(request.query.from) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = request.query.to ? new Date(request.query.to) : now;
    if (from >= to) throw badRequest('validation_failed', 'from must be before to', [{ field: 'from', code: 'invalid_value', message: 'from must be before to' }]);
    return { data: await deps.aiUsage.report(ctx.tenantId, { from, to: new Date(to.getTime() + 1), groupBy: request.query.groupBy ?? 'feature' }) };
  });

  app.get<{ Querystring: { limit?: string; cursor?: string } }>('/api/v1/ai/requests', { schema: schemas.requests }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators read the AI request log');
    const page = await deps.aiUsage.log(ctx.tenantId, { limit: Number(request.query.limit ?? 50), before: request.query.cursor ? Number(request.query.cursor) : undefined });
    return { data: page.data, meta: { nextCursor: page.nextCursor } };
  });
}
