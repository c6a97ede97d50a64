// Journal d'audit pour les administrateurs du tenant : consultation filtrée et vérification de la chaîne de hachage.
import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import { AUDIT_BROWSE_MAX, browseAudit, type AuditQuery } from '../../audit/browse.js';
import { verifyAudit } from '../../audit/verify.js';
import { requireAdmin } from '../auth.js';
import { json, pageOf, problems } from '../openapi/path-helpers.js';
import { routeSchema, uuidString } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type AuditRouteDeps = Pick<PlatformServices, 'catalog' | 'db' | 'tenantTx'>;

const tags = ['audit'];

const ENTRY = {
  type: 'object',
  properties: {
    id: { type: 'string' }, seq: { type: ['string', 'null'] }, at: { type: 'string', format: 'date-time' },
    actor: { type: ['string', 'null'] }, actorName: { type: ['string', 'null'] }, action: { type: 'string' }, entity: { type: 'string' },
    recordId: { type: ['string', 'null'] }, requestId: { type: ['string', 'null'] }, ip: { type: ['string', 'null'] },
    changes: { type: 'object', additionalProperties: { type: 'object', properties: { from: {}, to: {} } } },
  },
};

const browseSchema = routeSchema({
  operationId: 'listAuditEntries', tags, summary: 'Audit log of the tenant, newest first (administrators)',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'Entity name' },
      recordId: { ...uuidString, description: 'One record' },
      actor: { ...uuidString, description: 'Author (user id)' },
      action: { type: 'string', pattern: '^[a-z_.]{1,40}$', description: 'create, update, delete, restore, export…' },
      from: { type: 'string', format: 'date-time', description: 'From (inclusive)' },
      to: { type: 'string', format: 'date-time', description: 'To (exclusive)' },
      limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: `Page size: 1 to ${AUDIT_BROWSE_MAX}, 100 by default` },
      cursor: { type: 'string', pattern: '^[0-9]{1,18}$', description: 'meta.nextCursor of the previous page' },
    },
  },
  responses: {
    200: { description: 'Entries', ...json(pageOf(ENTRY)) },
    ...problems(400),
  },
});

const verifySchema = routeSchema({
  operationId: 'verifyAuditChain', tags, summary: 'Recompute the hash chain of the tenant and report tampering (administrators)',
  responses: {
    200: { description: 'Report', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, rows: { type: 'integer' }, pending: { type: 'integer' }, verifiedAt: { type: 'string', format: 'date-time' }, problems: { type: 'array', items: { type: 'object', properties: { seq: { type: ['integer', 'null'] }, kind: { enum: ['modified', 'deleted', 'inserted', 'reordered', 'head_mismatch'] }, detail: { type: 'string' } } } } } }) },
  },
});

export function registerAuditRoutes(app: FastifyInstance, deps: AuditRouteDeps): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/audit', { schema: browseSchema }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators read the audit log');
    const { limit, cursor, ...filters } = request.query;
    const query: AuditQuery = { ...filters, limit: limit === undefined ? undefined : Math.max(1, Math.min(Number(limit), AUDIT_BROWSE_MAX)), before: cursor === undefined ? undefined : Number(cursor) };
    const catalog = await deps.catalog(ctx.tenantId);
    return deps.tenantTx(ctx, (trx) => browseAudit(trx, catalog, query), { singleStatement: true });
  });

  /** Vérification de la chaîne du tenant de l'appelant (la plateforme entière : CLI `opsflux audit verify`). */
  app.get('/api/v1/audit/verify', { schema: verifySchema }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators verify the audit log');
    const report = await verifyAudit(deps.db, { tenant: ctx.tenantId });
    const { slug: _slug, ...tenant } = report.tenants[0]!;
    return { ...tenant, verifiedAt: new Date().toISOString() };
  });
}
