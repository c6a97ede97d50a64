// Journal d'audit pour les administrateurs du tenant : consultation filtrée et vérification de la chaîne de hachage.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { AUDIT_BROWSE_MAX, browseAudit, type AuditQuery } from '../../audit/browse.js';
import { verifyAudit } from '../../audit/verify.js';
import { requireAdmin } from '../auth.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const browseSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
      recordId: { type: 'string', pattern: UUID },
      actor: { type: 'string', pattern: UUID },
      action: { type: 'string', pattern: '^[a-z_.]{1,40}$' },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
      cursor: { type: 'string', pattern: '^[0-9]{1,18}$' },
    },
  },
} as const;

export function registerAuditRoutes(app: FastifyInstance, platform: Platform): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/audit', { schema: browseSchema }, async (request) => {
    const ctx = requireAdmin(request, 'Only administrators read the audit log');
    const { limit, cursor, ...filters } = request.query;
    const query: AuditQuery = { ...filters, limit: limit === undefined ? undefined : Math.max(1, Math.min(Number(limit), AUDIT_BROWSE_MAX)), before: cursor === undefined ? undefined : Number(cursor) };
    const catalog = await platform.catalog(ctx.tenantId);
    return platform.tenantTx(ctx, (trx) => browseAudit(trx, catalog, query), { singleStatement: true });
  });

  /** Vérification de la chaîne du tenant de l'appelant (la plateforme entière : CLI `opsflux audit verify`). */
  app.get('/api/v1/audit/verify', async (request) => {
    const ctx = requireAdmin(request, 'Only administrators verify the audit log');
    const report = await verifyAudit(platform.db, { tenant: ctx.tenantId });
    const { slug: _slug, ...tenant } = report.tenants[0]!;
    return { ...tenant, verifiedAt: new Date().toISOString() };
  });
}
