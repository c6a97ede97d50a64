// Graphe des enregistrements : voisinage d'une fiche (disposé pour le dessin) et plus court chemin entre deux
// fiches, par les références dans les deux sens, avec les droits de l'appelant.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { validationFailed } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import { requireAuth } from '../auth.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AiGraphRouteDeps = Pick<PlatformServices, 'knowledgeGraph'>;

/** Entier de 1 à 10 (la chaîne de requête n'est pas convertie). */
const DEPTH = '^(10|[1-9])$';
const ENTITY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const RECORD_REF = { type: 'string', maxLength: 100, description: 'entity:id, such as customer:0190a1b2-…' } as const;
const NODE = {
  type: 'object',
  properties: {
    id: { type: 'string' }, entity: { type: 'string' }, entityLabel: { type: 'string' }, eid: { type: 'string' }, label: { type: 'string' },
    depth: { type: 'integer', description: 'links from the first record' },
    x: { type: 'number', description: 'layout position between 0 and 1 (neighbours only)' }, y: { type: 'number' },
  },
} as const;
const EDGE = {
  type: 'object',
  properties: {
    from: { type: 'string', description: 'id of the record holding the reference' }, to: { type: 'string', description: 'id of the referenced record' },
    field: { type: 'string' }, label: { type: 'string' },
    direction: { enum: ['out', 'in'], description: 'out: the record nearer the first one holds the reference; in: it is referenced' },
  },
} as const;

const neighboursSchema = routeSchema({
  operationId: 'recordNeighbours', tags: ['ai'],
  summary: 'Records linked to a record by references, both ways, up to a depth (knowledge graph), with layout positions',
  description: 'Built on demand with the caller’s rights: only records and reference fields they may read appear. '
    + 'Bounded by the settings ai.local.graph.maxDepth and ai.local.graph.maxNodes (truncated: true when the node limit cut it).',
  querystring: {
    type: 'object', additionalProperties: false, required: ['entity', 'id'],
    properties: { entity: ENTITY, id: uuidString, depth: { type: 'string', pattern: DEPTH, description: '1 to 10 (bounded by the setting), 1 by default' } },
  },
  responses: {
    200: {
      description: 'The neighbourhood',
      ...json({ type: 'object', properties: { center: { type: 'string' }, depth: { type: 'integer' }, nodes: { type: 'array', items: NODE }, edges: { type: 'array', items: EDGE }, truncated: { type: 'boolean' } } }),
    },
    ...problems(400, 404),
  },
});

const pathSchema = routeSchema({
  operationId: 'recordPath', tags: ['ai'],
  summary: 'Shortest chain of references between two records (knowledge graph)',
  description: 'Explores from the first record with the caller’s rights, up to maxDepth links (setting ai.local.graph.maxPathDepth) and '
    + 'ai.local.graph.maxPathNodes records; 404 no_path when none is found within these bounds.',
  querystring: {
    type: 'object', additionalProperties: false, required: ['from', 'to'],
    properties: { from: RECORD_REF, to: RECORD_REF, maxDepth: { type: 'string', pattern: DEPTH, description: '1 to 10 (bounded by the setting ai.local.graph.maxPathDepth, its value by default)' } },
  },
  responses: {
    200: {
      description: 'The path, from the first record to the second',
      ...json({ type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, length: { type: 'integer' }, nodes: { type: 'array', items: NODE }, edges: { type: 'array', items: EDGE } } }),
    },
    ...problems(400, 404),
  },
});

const RECORD = /^([a-z][a-z0-9_]{0,62}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function registerAiGraphRoutes(app: FastifyInstance, deps: AiGraphRouteDeps): void {
  app.get<{ Querystring: { entity: string; id: string; depth?: string } }>('/api/v1/ai/graph/neighbours', { schema: neighboursSchema }, async (request) => {
    const ctx = requireAuth(request);
    const { entity, id, depth } = request.query;
    return deps.knowledgeGraph.neighbours(ctx, { entity, id }, depth === undefined ? undefined : Number(depth));
  });

  app.get<{ Querystring: { from: string; to: string; maxDepth?: string } }>('/api/v1/ai/graph/path', { schema: pathSchema }, async (request) => {
    const ctx = requireAuth(request);
    const parse = (name: 'from' | 'to') => RECORD.exec(request.query[name]);
    const [from, to] = [parse('from'), parse('to')];
    const bad = (['from', 'to'] as const).filter((_, i) => ![from, to][i]);
    if (bad.length) throw validationFailed(bad.map((field) => ({ field, code: 'pattern', message: message(ctx.locale, 'graph_bad_record') })));
    return deps.knowledgeGraph.path(ctx, { entity: from![1]!, id: from![2]! }, { entity: to![1]!, id: to![2]! }, request.query.maxDepth === undefined ? undefined : Number(request.query.maxDepth));
  });
}
