// Statistiques d'usage des clés d'API : chaque requête authentifiée par une clé ajoute 1 à un compteur en mémoire
// (clé, jour UTC, classe de statut) ; les compteurs partent en base toutes les quelques secondes en un UPSERT par
// tenant (`api_key_usage`, une ligne par clé, jour et classe), avec la date et l'adresse du dernier usage.
import type { FieldError } from '@opsflux/sdk';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTenant, type Tx } from '../../db/transaction.js';
import { validationFailed } from '../../errors/problem.js';

// écriture groupée de l'usage des clés : fréquence technique (au plus ce délai perdu si le nœud s'arrête)
const FLUSH_MS = 5_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// période maximale d'une requête d'usage (une année bissextile) : borne de l'API
const MAX_DAYS = 366;

interface Pending {
  counts: Map<string, { keyId: string; day: string; statusClass: number; requests: number }>;
  last: Map<string, { at: Date; ip: string | null }>;
}

export interface UsageRange {
  from: string;
  to: string;
}

export interface UsageDay {
  day: string;
  requests: number;
  byStatus: Record<string, number>;
}

export class ApiKeyUsage {
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly onError: (error: unknown) => void = () => undefined) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.onError), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }

  /** Compte une requête de la clé (réponse envoyée) ; aucune écriture ici. */
  record(tenantId: string, keyId: string, status: number, ip: string | null, at = new Date()): void {
    let tenant = this.pending.get(tenantId);
    if (!tenant) {
      tenant = { counts: new Map(), last: new Map() };
      this.pending.set(tenantId, tenant);
    }
    const day = at.toISOString().slice(0, 10);
    const statusClass = Math.min(Math.max(Math.floor(status / 100), 1), 5);
    const id = `${keyId}|${day}|${statusClass}`;
    const count = tenant.counts.get(id) ?? { keyId, day, statusClass, requests: 0 };
    count.requests += 1;
    tenant.counts.set(id, count);
    tenant.last.set(keyId, { at, ip });
  }

  /** Écrit les compteurs en attente (un lot à la fois ; les requêtes comptées pendant l'écriture partent au lot suivant). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(), () => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [tenantId, { counts, last }] of batch) {
      const c = [...counts.values()];
      const l = [...last.entries()];
      await inTenant(this.db, { tenantId }, (trx) => sql`
        WITH counted AS (
          INSERT INTO api_key_usage AS u (tenant_id, key_id, day, status_class, requests)
          SELECT app_tenant(), x.key_id, x.day, x.status_class, x.requests
          FROM unnest(${c.map((r) => r.keyId)}::uuid[], ${c.map((r) => r.day)}::date[], ${c.map((r) => r.statusClass)}::smallint[],
                      ${c.map((r) => r.requests)}::bigint[]) AS x(key_id, day, status_class, requests)
          ON CONFLICT (tenant_id, key_id, day, status_class) DO UPDATE SET requests = u.requests + excluded.requests
          RETURNING 1)
        -- une instruction modifiante du WITH s'exécute toujours, lue ou non
        UPDATE api_key k SET last_used_at = x.at, last_used_ip = x.ip
        FROM unnest(${l.map(([id]) => id)}::uuid[], ${l.map(([, v]) => v.at.toISOString())}::timestamptz[], ${l.map(([, v]) => v.ip)}::text[]) AS x(id, at, ip)
        WHERE k.id = x.id AND (k.last_used_at IS NULL OR k.last_used_at < x.at)`.execute(trx), { singleStatement: true });
    }
  }
}

/** Période demandée (`from`, `to` : AAAA-MM-JJ, bornes comprises) ; par défaut les 30 derniers jours. */
export function readRange(query: { from?: unknown; to?: unknown }): UsageRange {
  const errors: FieldError[] = [];
  const day = (value: unknown, field: string, fallback: Date): string => {
    if (value === undefined) return fallback.toISOString().slice(0, 10);
    const date = typeof value === 'string' && DAY.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(NaN);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      errors.push({ field, code: 'invalid_value', message: `${field} must be a date YYYY-MM-DD` });
      return '';
    }
    return value as string;
  };
  const to = day(query.to, 'to', new Date());
  const from = day(query.from, 'from', new Date(Date.parse(to || new Date().toISOString().slice(0, 10)) - 29 * 86_400_000));
  if (!errors.length) {
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (span < 0) errors.push({ field: 'from', code: 'out_of_range', message: 'from must not be after to' });
    else if (span >= MAX_DAYS) errors.push({ field: 'from', code: 'out_of_range', message: `The period is at most ${MAX_DAYS} days` });
  }
  if (errors.length) throw validationFailed(errors);
  return { from, to };
}

/** Compteurs de la clé sur la période, par jour (jours sans requête omis) et classe de statut (`2xx`…). */
export async function usageByDay(trx: Tx, keyId: string, range: UsageRange): Promise<UsageDay[]> {
  const { rows } = await sql<{ day: string; status_class: number; requests: string }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, status_class, requests FROM api_key_usage
    WHERE key_id = ${keyId} AND day BETWEEN ${range.from}::date AND ${range.to}::date ORDER BY day, status_class`.execute(trx);
  const days = new Map<string, UsageDay>();
  for (const row of rows) {
    const entry = days.get(row.day) ?? { day: row.day, requests: 0, byStatus: {} };
    entry.requests += Number(row.requests);
    entry.byStatus[`${row.status_class}xx`] = Number(row.requests);
    days.set(row.day, entry);
  }
  return [...days.values()];
}
