// Journal des erreurs : chaque erreur inattendue (route HTTP, travail de fond, code de module) est rangée dans un
// groupe par empreinte, avec compteurs et dernière occurrence ; un groupe résolu qui revient est rouvert (régression).
// La capture ne lève jamais : un journal en panne ne doit pas masquer l'erreur d'origine.
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/database.js';
import { inTenant, platformStatement } from '../../db/transaction.js';

/** Portée des erreurs de la plateforme, hors de tout tenant. */
export const PLATFORM_SCOPE = '00000000-0000-0000-0000-000000000000';
/** Occurrences dans l'heure qui signalent un pic, sans réglage branché (tests) ; la plateforme donne `errors.spikePerHour`. */
const DEFAULT_SPIKE_PER_HOUR = 50;

export interface ErrorReport {
  error: unknown;
  /** `core`, `background` ou le nom du module */
  source: string;
  tenantId?: string | null;
  userId?: string | null;
  requestId?: string;
  method?: string;
  route?: string;
  /** moment de l'erreur ; par défaut, celui de la capture */
  occurredAt?: Date;
}

/** Colonne « dernière occurrence » : gardée si une occurrence plus récente a déjà été écrite. */
const latest = (column: RawBuilder<unknown>) =>
  sql`CASE WHEN EXCLUDED.last_seen >= error_group.last_seen THEN EXCLUDED.${column} ELSE error_group.${column} END`;

export interface ErrorGroup {
  id: string;
  source: string;
  kind: string;
  message: string;
  stack: string | null;
  method: string | null;
  route: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  lastRequestId: string | null;
  lastUserId: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  platform: boolean;
}

/** Message sans ce qui change d'une occurrence à l'autre (identifiants, nombres, valeurs citées). */
export function normaliseMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/"[^"]{0,200}"|'[^']{0,200}'/g, '<value>')
    .replace(/\d+/g, '<n>')
    .slice(0, 500);
}

/** Haut de la pile sans numéros de ligne ni chemins absolus : stable d'une version compilée à l'autre. */
function topFrames(stack: string | undefined): string {
  return (stack ?? '').split('\n').slice(1, 4).map((line) => line.trim().replace(/\(?(?:file:\/\/)?\/[^\s)]*\/([^/\s)]+?)(?::\d+)*\)?$/, '$1')).join('|');
}

export function fingerprintOf(source: string, error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  return createHash('sha256').update(`${source}\n${err.name}\n${normaliseMessage(err.message)}\n${topFrames(err.stack)}`).digest('hex').slice(0, 32);
}

/** `count` : occurrences dans l'heure qui ont déclenché l'avis d'un pic. */
export type ErrorAlert = (group: { id: string; scope: string; reason: 'new' | 'spike'; message: string; source: string; count?: number }) => void;

export class ErrorLog {
  /** `spikePerHour` : seuil de pic de la portée (tenant, ou PLATFORM_SCOPE), relu à chaque capture */
  constructor(
    private readonly db: Db,
    private readonly alert: ErrorAlert = () => undefined,
    private readonly spikePerHour: (scope: string) => Promise<number> = async () => DEFAULT_SPIKE_PER_HOUR,
  ) {}

  /** Une instruction dans la portée : transaction du tenant (RLS), ou rôle de plateforme pour sa portée et pour `all`. */
  private statement<R>(scope: string, query: RawBuilder<R>) {
    if (scope === 'all' || scope === PLATFORM_SCOPE) return platformStatement(this.db, query);
    return inTenant(this.db, { tenantId: scope }, (trx) => query.execute(trx), { singleStatement: true });
  }

  async capture(report: ErrorReport): Promise<void> {
    try {
      const err = report.error instanceof Error ? report.error : new Error(String(report.error));
      const scope = report.tenantId ?? PLATFORM_SCOPE;
      // l'heure de l'occurrence, pas celle de l'écriture : deux captures concurrentes peuvent s'écrire dans le désordre
      const occurredAt = report.occurredAt ?? new Date();
      const { rows } = await this.statement(scope, sql<{ id: string; inserted: boolean; hour_count: number }>`
        INSERT INTO error_group (id, scope, fingerprint, source, kind, message, stack, method, route, last_request_id, last_user_id, first_seen, last_seen)
        VALUES (${uuidv7()}, ${scope}, ${fingerprintOf(report.source, err)}, ${report.source}, ${err.name.slice(0, 100)}, ${err.message.slice(0, 2000)},
                ${(err.stack ?? '').slice(0, 8000) || null}, ${report.method ?? null}, ${report.route ?? null}, ${report.requestId ?? null}, ${report.userId ?? null},
                ${occurredAt}, ${occurredAt})
        ON CONFLICT (scope, fingerprint) DO UPDATE SET
          count = error_group.count + 1, last_seen = GREATEST(error_group.last_seen, EXCLUDED.last_seen),
          message = ${latest(sql`message`)}, stack = ${latest(sql`stack`)}, method = ${latest(sql`method`)}, route = ${latest(sql`route`)},
          last_request_id = ${latest(sql`last_request_id`)}, last_user_id = ${latest(sql`last_user_id`)},
          hour_count = CASE WHEN error_group.hour_start = date_trunc('hour', now()) THEN error_group.hour_count + 1 ELSE 1 END,
          hour_start = date_trunc('hour', now()),
          resolved_at = NULL, resolved_by = NULL
        RETURNING id, (xmax = 0) AS inserted, hour_count`);
      const row = rows[0]!;
      if (row.inserted) this.alert({ id: row.id, scope, reason: 'new', message: err.message, source: report.source });
      else if (row.hour_count === (await this.spikePerHour(scope))) {
        this.alert({ id: row.id, scope, reason: 'spike', message: err.message, source: report.source, count: row.hour_count });
      }
    } catch {
      // le journal des erreurs ne doit jamais faire échouer ce qu'il observe
    }
  }

  /** Groupes visibles : ceux d'un tenant, ou tous (avec ceux de la plateforme) pour le super-administrateur. */
  async list(options: { scope: string | 'all'; status: 'open' | 'resolved' | 'all'; limit: number; before?: string }): Promise<{ data: ErrorGroup[]; meta: { nextCursor: string | null } }> {
    const conditions = [
      options.scope === 'all' ? undefined : sql`scope = ${options.scope}`,
      options.status === 'open' ? sql`resolved_at IS NULL` : options.status === 'resolved' ? sql`resolved_at IS NOT NULL` : undefined,
      options.before ? sql`(last_seen, id) < (SELECT last_seen, id FROM error_group WHERE id = ${options.before})` : undefined,
    ].filter((c) => c !== undefined);
    const { rows } = await this.statement(options.scope, sql<ErrorGroup>`
      SELECT id, source, kind, message, stack, method, route, count, first_seen AS "firstSeen", last_seen AS "lastSeen",
             last_request_id AS "lastRequestId", last_user_id AS "lastUserId", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy",
             scope = ${PLATFORM_SCOPE}::uuid AS platform
      FROM error_group ${conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``}
      ORDER BY last_seen DESC, id DESC LIMIT ${options.limit + 1}`);
    const more = rows.length > options.limit;
    if (more) rows.length = options.limit;
    return { data: rows, meta: { nextCursor: more ? rows.at(-1)!.id : null } };
  }

  /** Marque résolu (ou rouvre) un groupe de la portée ; false s'il n'y est pas. */
  async setResolved(id: string, scope: string | 'all', resolvedBy: string | null, resolved: boolean): Promise<boolean> {
    const { rows } = await this.statement(scope, sql<{ id: string }>`
      UPDATE error_group SET resolved_at = ${resolved ? sql`now()` : sql`NULL`}, resolved_by = ${resolved ? resolvedBy : null}
      WHERE id = ${id} ${scope === 'all' ? sql`` : sql`AND scope = ${scope}`} RETURNING id`);
    return rows.length > 0;
  }
}
