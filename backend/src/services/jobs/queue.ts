// File des travaux de fond, sur la table `job` de la base (PGlite comme serveur : un seul code) :
// - dépôt dans la transaction de l'appelant (le travail n'existe que si l'écriture est validée) ;
// - réservation par lots `FOR UPDATE SKIP LOCKED` avec un bail : un travail n'est exécuté que par un nœud ;
// - délai par tentative (signal d'abandon), nouvelles tentatives espacées exponentiellement, échec définitif gardé ;
// - bail échu (processus tué) : le travail repart, une seule fois, sur un autre nœud ou au redémarrage.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FieldError } from '@opsflux/sdk';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { DrainLoop } from '../../background/drain-loop.js';
import { GroupCommit } from '../../background/group-commit.js';
import type { Db } from '../../db/database.js';
import { executeAtCommit, inTenant, platformStatement, type Tx } from '../../db/transaction.js';
import { validationFailed } from '../../errors/problem.js';
import { message, type Locale } from '../../text/messages.js';
import type { EnqueueOptions, JobDefinition, JobRun } from './types.js';

/** Canal NOTIFY : un travail vient d'être déposé, les nœuds réveillent leur file. */
export const JOBS_CHANNEL = 'opsflux_jobs';
// plafond de l'espacement des tentatives : au-delà d'une heure, un travail en échec se relance à la main, pas par réglage
const MAX_BACKOFF_MS = 3_600_000;
/** limites d'une file sans réglages (tests unitaires) ; la plateforme donne `jobs.concurrency` et `jobs.payload.maxKilobytes` */
const DEFAULT_LIMITS: JobLimits = { concurrency: 8, maxPayloadBytes: 256 * 1024 };

/** Limites réglables de la file (réglages de la plateforme). */
export interface JobLimits {
  /** travaux exécutés en même temps par ce nœud */
  concurrency: number;
  /** taille maximale de la charge d'un travail, en JSON */
  maxPayloadBytes: number;
}

/** Échec attendu (service distant en erreur, délai dépassé) : gardé dans l'historique, pas dans le journal des erreurs. */
export class JobFailure extends Error {
  override name = 'JobFailure';
}

export class JobTimeout extends JobFailure {
  override name = 'JobTimeout';
  constructor(ms: number) {
    super(`Timed out after ${ms} ms`);
  }
}

export interface JobQueueOptions {
  /** travaux exécutés en même temps par ce nœud, imposés (OPSFLUX_JOB_CONCURRENCY) : l'emporte sur `limits` */
  concurrency?: number;
  /** limites réglables, relues hors transaction à chaque passe et avant chaque dépôt hors transaction */
  limits?: () => Promise<JobLimits>;
  /** marge ajoutée au délai d'un travail pour son bail (au-delà, un autre nœud le reprend) */
  leaseGraceMs?: number;
  /** échec définitif inattendu d'un travail (journal des erreurs) */
  onFailure?: (error: unknown, job: JobRun<unknown>) => void;
  onError?: (error: unknown) => void;
  /** ne réserve que les travaux de ces tenants (tests qui partagent une base de serveur) */
  tenants?: () => readonly string[];
}

interface ClaimedRow {
  id: string;
  tenant_id: string | null;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  timeout_ms: number;
}

export class JobQueue {
  /** identité de ce nœud dans les baux */
  readonly node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly loop: DrainLoop;
  private readonly executions = new Set<Promise<void>>();
  private current: JobLimits;
  private readonly leaseGraceMs: number;
  /** succès écrits par lots : une instruction pour tous ceux arrivés pendant l'écriture précédente */
  private readonly successes = new GroupCommit<{ id: string; durationMs: number; result: string | null }>((batch) => this.writeSuccesses(batch));

  constructor(private readonly db: Db, private readonly options: JobQueueOptions = {}) {
    this.current = { ...DEFAULT_LIMITS, ...(options.concurrency ? { concurrency: options.concurrency } : {}) };
    this.leaseGraceMs = options.leaseGraceMs ?? 30_000;
    this.loop = new DrainLoop(() => this.pass(), (error) => options.onError?.(error), { settleMs: 5 });
  }

  /** Déclare un type de travail (cœur, module, test) ; ce nœud n'exécute que les types qu'il connaît. */
  register<P = Record<string, unknown>>(definition: JobDefinition<P>): () => void {
    if (this.definitions.has(definition.name)) throw new Error(`job ${definition.name} is already registered`);
    this.definitions.set(definition.name, definition as JobDefinition<never>);
    this.loop.kick();
    return () => {
      this.definitions.delete(definition.name);
    };
  }

  definition(name: string): JobDefinition<never> | undefined {
    return this.definitions.get(name);
  }

  types(): Array<JobDefinition<never>> {
    return [...this.definitions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Relit les limites réglables (hors de toute transaction : sur PGlite, une lecture de réglage hors cache en ouvre
   * une) ; les dépôts faits dans une transaction utilisent la dernière valeur lue.
   */
  async refreshLimits(): Promise<JobLimits> {
    const read = await this.options.limits?.();
    if (read) this.current = { concurrency: this.options.concurrency ?? read.concurrency, maxPayloadBytes: read.maxPayloadBytes };
    return this.current;
  }

  /** Erreur du champ `payload` si cette charge (JSON) dépasse la taille permise. */
  payloadError(body: string, locale: Locale = 'en'): FieldError | undefined {
    const max = this.current.maxPayloadBytes;
    return Buffer.byteLength(body) > max ? { field: 'payload', code: 'too_large', message: message(locale, 'job_payload_too_large', { max }) } : undefined;
  }

  /** Dépose un travail ; renvoie son id, ou null si un travail de même clé d'unicité attend déjà. */
  async enqueue(tenantId: string | null, name: string, payload: Record<string, unknown> = {}, options: EnqueueOptions = {}): Promise<string | null> {
    const definition = this.definitions.get(name);
    const body = JSON.stringify(payload);
    if (!options.trx) await this.refreshLimits();
    const tooLarge = this.payloadError(body);
    if (tooLarge) throw validationFailed([tooLarge]);
    const id = uuidv7();
    const insert = sql<{ id: string }>`
      INSERT INTO job (id, tenant_id, name, payload, run_at, max_attempts, backoff_ms, timeout_ms, priority, singleton_key, schedule_id, created_by)
      VALUES (${id}, ${tenantId}, ${name}, ${body}::jsonb, ${(options.runAt ?? new Date()).toISOString()}::timestamptz,
              ${options.maxAttempts ?? definition?.maxAttempts ?? 3}, ${options.backoffMs ?? definition?.backoffMs ?? 1000},
              ${options.timeoutMs ?? definition?.timeoutMs ?? 60_000}, ${options.priority ?? 0}, ${options.singletonKey ?? null},
              ${options.scheduleId ?? null}, ${options.createdBy ?? null})
      ON CONFLICT (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), name, singleton_key)
        WHERE singleton_key IS NOT NULL AND state IN ('queued', 'running') DO NOTHING
      RETURNING id`;
    if (options.trx && !options.singletonKey) {
      // dans une transaction, sans clé d'unicité : rien à attendre, l'insertion part avec le COMMIT (aucun aller-retour)
      await executeAtCommit(options.trx, sql`WITH queued AS (${insert}) SELECT pg_notify(${JOBS_CHANNEL}, '')`);
      return id;
    }
    // hors transaction : travail d'un tenant sous le rôle applicatif (RLS), travail de la plateforme sous son rôle
    const { rows } = options.trx ? await insert.execute(options.trx)
      : tenantId ? await inTenant(this.db, { tenantId }, (trx) => insert.execute(trx), { singleStatement: true })
        : await platformStatement(this.db, insert);
    if (!rows.length) return null;
    if (options.trx) await executeAtCommit(options.trx, sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`);
    else this.loop.kick();
    return id;
  }

  /** Dépose plusieurs travaux d'un même type en une instruction (webhooks d'un événement, courriels d'une campagne). */
  async enqueueMany(trx: Tx, tenantId: string | null, name: string, payloads: Array<Record<string, unknown>>): Promise<void> {
    if (!payloads.length) return;
    const definition = this.definitions.get(name);
    const rows = payloads.map((p) => sql`(${uuidv7()}, ${tenantId}::uuid, ${name}, ${JSON.stringify(p)}::jsonb, ${definition?.maxAttempts ?? 3},
      ${definition?.backoffMs ?? 1000}, ${definition?.timeoutMs ?? 60_000})`);
    await sql`INSERT INTO job (id, tenant_id, name, payload, max_attempts, backoff_ms, timeout_ms) VALUES ${sql.join(rows)}`.execute(trx);
    await executeAtCommit(trx, sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`);
  }

  start(intervalMs = 1000): void {
    this.loop.start(intervalMs);
  }

  /** Arrête de réserver ; les travaux en cours finissent (leur bail les protège si le processus meurt avant). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.executions]);
  }

  /** Réveil (dépôt sur ce nœud ou notification d'un autre). */
  kick(): void {
    this.loop.kick();
  }

  /** Attend qu'aucun travail exécutable ne reste ni ne tourne sur ce nœud (tests, arrêt propre). */
  async idle(): Promise<void> {
    for (;;) {
      await this.loop.idle();
      if (!this.executions.size) {
        if (!(await this.hasDueWork())) return;
        this.loop.kick();
        continue;
      }
      await Promise.race([...this.executions]);
    }
  }

  private async hasDueWork(): Promise<boolean> {
    const names = [...this.definitions.keys()];
    if (!names.length) return false;
    const { rows } = await platformStatement(this.db, sql`SELECT 1 FROM job WHERE state = 'queued' AND run_at <= now() AND name = ANY(${names}::text[]) ${this.tenantFilter()} LIMIT 1`);
    return rows.length > 0;
  }

  private tenantFilter() {
    const tenants = this.options.tenants?.();
    return tenants ? sql`AND tenant_id = ANY(${[...tenants]}::uuid[])` : sql``;
  }

  /** Une passe : reprend les baux échus puis réserve autant de travaux que de places libres. */
  private async pass(): Promise<void> {
    await this.refreshLimits();
    await this.reclaimExpired();
    const names = [...this.definitions.keys()];
    for (;;) {
      const free = this.current.concurrency - this.executions.size;
      if (free <= 0 || !names.length || this.loop.isStopped) return;
      const { rows } = await platformStatement(this.db, sql<ClaimedRow>`
        UPDATE job SET state = 'running', attempts = attempts + 1, locked_by = ${this.node}, started_at = now(), finished_at = NULL,
          locked_until = now() + make_interval(secs => (timeout_ms + ${this.leaseGraceMs}) / 1000.0)
        WHERE id IN (SELECT id FROM job WHERE state = 'queued' AND run_at <= now() AND name = ANY(${names}::text[]) ${this.tenantFilter()}
                     ORDER BY priority DESC, run_at LIMIT ${free} FOR UPDATE SKIP LOCKED)
        RETURNING id, tenant_id, name, payload, attempts, max_attempts, timeout_ms`);
      await this.prepare(rows);
      for (const row of rows) this.launch(row);
      if (rows.length < free) return;
    }
  }

  /** Travaux dont le nœud a disparu : remis en file (ou en échec s'ils ont épuisé leurs tentatives). */
  private async reclaimExpired(): Promise<void> {
    await platformStatement(this.db, sql`
      UPDATE job SET state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
        error = 'Interrupted: the node running it (' || coalesce(locked_by, '?') || ') stopped before the end',
        finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END, run_at = now(), locked_by = NULL, locked_until = NULL
      WHERE state = 'running' AND locked_until < now()`);
  }

  /** Lecture groupée des types qui la proposent (un lot de livraisons de webhooks : une requête). */
  private async prepare(rows: ClaimedRow[]): Promise<void> {
    const byName = new Map<string, Array<JobRun<unknown>>>();
    for (const row of rows) if (this.definitions.get(row.name)?.prepare) byName.set(row.name, [...(byName.get(row.name) ?? []), runOf(row, new AbortController().signal)]);
    for (const [name, runs] of byName) await this.definitions.get(name)!.prepare!(runs as Array<JobRun<never>>).catch((error) => this.options.onError?.(error));
  }

  private launch(row: ClaimedRow): void {
    const execution = this.execute(row)
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.executions.delete(execution);
        this.loop.kick();
      });
    this.executions.add(execution);
  }

  private async execute(row: ClaimedRow): Promise<void> {
    const definition = this.definitions.get(row.name);
    const controller = new AbortController();
    const run = runOf(row, controller.signal);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!definition) throw new JobFailure(`No handler for job ${row.name} on this node`);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new JobTimeout(row.timeout_ms);
          controller.abort(error);
          reject(error);
        }, row.timeout_ms);
      });
      const result = await Promise.race([definition.handler(run as JobRun<never>), timeout]);
      await this.succeed(row.id, Math.round(performance.now() - started), result);
    } catch (error) {
      const state = await this.fail(row.id, Math.round(performance.now() - started), error);
      if (state === 'failed' && !(error instanceof JobFailure)) this.options.onFailure?.(error, run);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Un nœud tué avant l'écriture de son succès laisse un bail échu : le travail repartira (au moins une fois). */
  private succeed(id: string, durationMs: number, result: unknown): Promise<void> {
    return this.successes.add({ id, durationMs, result: result === undefined ? null : JSON.stringify(result) });
  }

  private async writeSuccesses(batch: Array<{ id: string; durationMs: number; result: string | null }>): Promise<void> {
    await platformStatement(this.db, sql`UPDATE job SET state = 'succeeded', finished_at = now(), duration_ms = v.duration, result = v.result::jsonb, error = NULL,
        locked_by = NULL, locked_until = NULL
      FROM unnest(${batch.map((b) => b.id)}::uuid[], ${batch.map((b) => b.durationMs)}::int[], ${batch.map((b) => b.result)}::text[]) AS v(id, duration, result)
      WHERE job.id = v.id AND job.locked_by = ${this.node} AND job.state = 'running'`);
  }

  /** Échec d'une tentative : nouvelle tentative après backoff × 2^(n-1), ou échec définitif ; renvoie l'état. */
  private async fail(id: string, durationMs: number, error: unknown): Promise<string | undefined> {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 4000);
    const { rows } = await platformStatement(this.db, sql<{ state: string }>`
      UPDATE job SET state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
        run_at = CASE WHEN attempts < max_attempts
          THEN now() + make_interval(secs => least(backoff_ms * power(2, attempts - 1), ${MAX_BACKOFF_MS}) / 1000.0) ELSE run_at END,
        finished_at = now(), duration_ms = ${durationMs}, error = ${message}, locked_by = NULL, locked_until = NULL
      WHERE id = ${id} AND locked_by = ${this.node} AND state = 'running' RETURNING state`);
    return rows[0]?.state;
  }
}

const runOf = (row: ClaimedRow, signal: AbortSignal): JobRun<unknown> => ({
  id: row.id, name: row.name, tenantId: row.tenant_id, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts, signal,
});
