// Exécution d'un import : lecture en flux, lots de lignes converties, références résolues par eid, validation du
// moteur, créations en une instruction par lot (audit compris), mises à jour par le service des enregistrements.
// Tout ou rien : une transaction pour le fichier, annulée à la fin s'il y a une erreur ou pour un essai à blanc.
// Ignorer les lignes invalides : une transaction par lot, les lignes en erreur sont sautées et rapportées.
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { serverPool, type Db } from '../../db/database.js';
import { ownerWork } from '../../db/role-scope.js';
import { inTenant, type Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import { stampDefaults } from '../../iam/access/record-ownership.js';
import { toProblem } from '../../engine/errors.js';
import type { EntityModel, FieldModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { UUID } from '../../engine/validate.js';
import { ProblemError } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import { bulkCreate, type NewRecord } from './bulk-create.js';
import { convertCell, RefTokens, type DateOrder } from './cells.js';
import { written, type ImportCounts, type ImportIssue, type ImportJobs, type JobRow, type JobStatus } from './import-jobs.js';
import { planColumns, type MappingPlan } from './mapping.js';
import { ImportFileError, readRows, type Encoding, type ImportFormat, type SourceRow } from './read.js';

export interface ImportRunDeps {
  db: Db;
  records: RecordService;
  /** après un commit d'écriture : audit à chaîner, événements à distribuer */
  afterCommit: () => void;
}

export interface ImportOptions {
  /** create : eid déjà connu = erreur ; upsert : eid connu = mise à jour */
  mode: 'create' | 'upsert';
  /** rollback : rien n'est écrit s'il y a une erreur ; skip : les lignes invalides sont sautées */
  onError: 'rollback' | 'skip';
  dryRun: boolean;
  mapping?: Record<string, string | null>;
  encoding?: Encoding;
  delimiter?: string;
  dateOrder: DateOrder;
}

export interface ImportLimits {
  batchSize: number;
  maxErrors: number;
}

export interface ImportInput {
  jobId: string;
  ctx: RequestContext;
  catalog: Catalog;
  model: EntityModel;
  path: string;
  format: ImportFormat;
  options: ImportOptions;
  limits: ImportLimits;
}

class Rollback extends Error {}
/** Une écriture a échoué hors point de sauvegarde : la transaction est perdue, le travail reprend prudemment. */
class Retry extends Error {
  constructor(readonly reason: unknown) {
    super('retry with savepoints');
  }
}
class Stop extends Error {
  constructor(readonly status: JobStatus, message: string) {
    super(message);
  }
}

// extrait d'une valeur cité dans le rapport d'erreurs : lisibilité du rapport, pas une limite d'usage
const VALUE_MAX = 200;
/** lignes écrites au-delà desquelles les statistiques de la table sont recalculées à la fin de l'import : seuil d'optimisation, pas une limite */
const ANALYZE_AFTER = 10_000;
const cellText = (value: unknown) => (value === undefined || value === null ? null : (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, VALUE_MAX));

/** Ligne préparée : entrée d'API (références encore en jetons) et eid éventuel. */
interface Prepared {
  row: number;
  input: Record<string, unknown>;
  eid?: string;
  id?: string;
  /** champs déjà en erreur (cellule illisible, référence introuvable) : la ligne ne sera pas écrite */
  failed: Set<string>;
}

export class ImportRun {
  private readonly counts: ImportCounts = { rowsRead: 0, created: 0, updated: 0, skipped: 0, errors: 0, readBytes: 0 };
  private issues: ImportIssue[] = [];
  /** eid → première ligne du fichier (doublons dans le fichier) */
  private readonly seenEids = new Map<string, number>();
  private plan?: MappingPlan;
  /** colonnes retenues et ignorées, à publier avec la prochaine progression */
  private columns?: JobRow['columns'];
  private readonly plans = new Map<string, MappingPlan>();
  private readonly scope;
  private readonly direct: boolean;
  /** la base sert d'autres connexions pendant la transaction de l'import (serveur PostgreSQL, pas PGlite) */
  private readonly shared: boolean;

  constructor(private readonly deps: ImportRunDeps, private readonly jobs: ImportJobs, private readonly input: ImportInput) {
    this.scope = { tenantId: input.ctx.tenantId, userId: input.ctx.userId };
    this.direct = deps.records.directCreate(input.model, input.ctx.tenantId);
    this.shared = serverPool(deps.db) !== undefined;
  }

  /** Compteurs à cet instant. */
  progress(): ImportCounts {
    return { ...this.counts };
  }

  /** Exécute l'import jusqu'au bout ; l'état final est écrit dans le travail. */
  async execute(): Promise<void> {
    const { options } = this.input;
    let status: JobStatus = 'succeeded';
    let note: string | null = null;
    await this.jobs.started(this.scope, this.input.jobId);
    try {
      if (options.onError === 'rollback') await this.wholeFile();
      else await this.batchByBatch();
    } catch (error) {
      if (error instanceof Stop) [status, note] = [error.status, error.message];
      else if (error instanceof ImportFileError) {
        [status, note] = ['failed', error.message];
        this.issue(error.row ?? 0, '', error.code, error.message);
      } else if (error instanceof ProblemError) [status, note] = ['failed', error.message];
      else throw error;
    }
    this.deps.afterCommit();
    await this.report();
    if (written(status, this.input.options, this.counts) && this.counts.created + this.counts.updated >= ANALYZE_AFTER) await this.analyze();
    await this.jobs.finish(this.scope, this.input.jobId, status, this.counts, note);
  }

  /**
   * Statistiques de la table rafraîchies après un gros import : sans elles, le planificateur croirait la table
   * presque vide jusqu'au passage de l'autovacuum, et les listes choisiraient de mauvais plans.
   */
  private async analyze(): Promise<void> {
    // maintenance du propriétaire de la table (ANALYZE n'est permis qu'à lui)
    await ownerWork(async () => {
      for (const link of this.input.model.chain) await sql`ANALYZE ${sql.table(link.table)}`.execute(this.deps.db);
    });
  }

  /**
   * Tout ou rien : une transaction pour le fichier. Une première passe écrit sans point de sauvegarde (un point de
   * sauvegarde par lot, au-delà de 64, ferait déborder le cache des sous-transactions de PostgreSQL et ralentirait
   * chaque lecture) ; si une écriture échoue, tout est annulé et le fichier repris avec des points de sauvegarde,
   * pour nommer chaque ligne refusée.
   */
  private async wholeFile(): Promise<void> {
    const pass = () => this.transaction(async (trx) => {
      for await (const batch of this.batches()) {
        await this.batch(trx, batch);
        // PGlite n'a qu'une connexion, tenue par cette transaction : la progression attendra la fin
        const stop = await this.checkpoint(this.shared);
        if (stop) throw stop;
      }
      await this.settle();
      if (this.counts.errors > 0) throw new Stop('failed', 'errors found: nothing was imported');
      if (this.input.options.dryRun) throw new Rollback();
    });
    try {
      await pass();
    } catch (error) {
      if (!(error instanceof Retry)) throw error;
      this.careful = true;
      this.forget();
      await this.jobs.clearIssues(this.scope, this.input.jobId);
      await pass();
    }
  }

  /** Lignes invalides sautées : une transaction par lot, reprise avec des points de sauvegarde si une écriture échoue. */
  private async batchByBatch(): Promise<void> {
    for await (const batch of this.batches()) {
      const pass = () => this.transaction(async (trx) => {
        await this.batch(trx, batch);
        await this.settle();
        if (this.input.options.dryRun) throw new Rollback();
      });
      const saved = this.mark();
      try {
        await pass();
      } catch (error) {
        if (!(error instanceof Retry)) throw error;
        this.undo(saved);
        this.careful = true;
        await pass();
        this.careful = false;
      }
      // le lot est validé (sauf essai à blanc) avant qu'une annulation ou trop d'erreurs n'arrêtent la suite
      this.deps.afterCommit();
      const stop = await this.checkpoint(true);
      if (stop) throw stop;
    }
  }

  /** Transaction du tenant ; `Rollback` l'annule sans être une erreur (essai à blanc). */
  private transaction(work: (trx: Tx) => Promise<void>): Promise<void> {
    return inTenant(this.deps.db, this.scope, work).catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  }

  /** État avant un lot : compteurs, problèmes pas encore publiés, eid et lignes en erreur ajoutés depuis. */
  private mark() {
    this.batchEids = [];
    this.batchBadRows = [];
    return { counts: { ...this.counts }, issues: this.issues.length };
  }

  private undo(saved: ReturnType<ImportRun['mark']>): void {
    Object.assign(this.counts, saved.counts);
    this.issues.length = saved.issues;
    for (const eid of this.batchEids) this.seenEids.delete(eid);
    for (const row of this.batchBadRows) this.badRows.delete(row);
  }

  /** Oublie la première passe (le fichier est relu du début). */
  private forget(): void {
    Object.assign(this.counts, { rowsRead: 0, created: 0, updated: 0, skipped: 0, errors: 0, readBytes: 0 });
    this.issues = [];
    this.seenEids.clear();
    this.badRows.clear();
  }

  // --- lecture ---

  /** Lots lus d'avance : le lot suivant est lu et analysé pendant que la base écrit le précédent. */
  private async *batches(): AsyncGenerator<SourceRow[]> {
    const source = this.read();
    let next = source.next();
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = source.next();
      // une erreur de lecture du lot suivant sera levée à son tour, pas pendant l'écriture du lot courant
      next.catch(() => undefined);
      yield current.value;
    }
  }

  private async *read(): AsyncGenerator<SourceRow[]> {
    const counts = this.counts;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        counts.readBytes += chunk.length;
        done(null, chunk);
      },
    });
    const file = createReadStream(this.input.path);
    file.on('error', (error) => meter.destroy(error));
    const rows = readRows(file.pipe(meter), this.input.format, { encoding: this.input.options.encoding, delimiter: this.input.options.delimiter });
    let batch: SourceRow[] = [];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= this.input.limits.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  /** Plan des colonnes (fichier tabulaire : une fois ; JSON : par jeu de clés). Un plan invalide arrête l'import. */
  private planFor(values: Record<string, unknown>): MappingPlan {
    if (this.plan && this.input.format !== 'json') return this.plan;
    const headers = Object.keys(values);
    const key = headers.join('\u0000');
    const known = this.plans.get(key);
    if (known) return known;
    // JSON : chaque élément n'a pas toutes les clés ; la correspondance imposée vaut pour celles qu'il a
    const explicit = Object.entries(this.input.options.mapping ?? {}).filter(([header]) => this.input.format !== 'json' || headers.includes(header));
    const { plan, errors } = planColumns(this.input.model, headers, Object.fromEntries(explicit));
    if (errors.length) throw new ProblemError(400, 'invalid_mapping', errors.map((e) => e.message).join('; '), errors);
    if (!this.plan) {
      this.plan = plan;
      this.columns = { mapped: plan.columns.map((c) => ({ column: c.header, field: typeof c.target === 'string' ? c.target : c.target.name })), ignored: plan.ignored };
    }
    this.plans.set(key, plan);
    return plan;
  }

  // --- un lot ---

  /**
   * Entre deux lots : progression publiée (si la base le permet pendant la transaction de l'import), puis arrêt si
   * l'annulation a été demandée ou s'il y a trop d'erreurs.
   */
  private async checkpoint(publish: boolean): Promise<Stop | undefined> {
    const cancelled = publish ? await this.report() : false;
    if (this.counts.errors >= this.input.limits.maxErrors) return new Stop('failed', `${this.counts.errors} errors (limit ${this.input.limits.maxErrors}): import stopped`);
    return cancelled ? new Stop('cancelled', 'cancelled by the user') : undefined;
  }

  private async batch(trx: Tx, rows: SourceRow[]): Promise<void> {
    this.counts.rowsRead += rows.length;
    const prepared = rows.map((row) => this.prepare(row)).filter((p): p is Prepared => p !== undefined);
    await this.resolveRefs(trx, prepared);
    const existing = await this.existing(trx, prepared);
    const creates: Array<{ row: number; record: NewRecord; input: Record<string, unknown> }> = [];
    const updates: Array<{ row: number; id: string; input: Record<string, unknown> }> = [];
    const { ctx, model } = this.input;
    for (const p of prepared) {
      if (p.eid !== undefined) {
        const first = this.seenEids.get(p.eid);
        if (first !== undefined) {
          this.rowIssue(p.row, 'eid', 'duplicate_eid', p.eid, { row: first });
          continue;
        }
        this.seenEids.set(p.eid, p.row);
        this.batchEids.push(p.eid);
      }
      const found = p.eid !== undefined ? existing.get(p.eid) : undefined;
      if (found) {
        if (p.failed.size) continue;
        if (found.deleted) this.rowIssue(p.row, 'eid', 'eid_deleted', p.eid);
        // une cellule vide efface la valeur à la mise à jour
        else updates.push({ row: p.row, id: found.id, input: Object.fromEntries(Object.entries(p.input).map(([k, v]) => [k, v === undefined ? null : v])) });
        continue;
      }
      const input = { ...p.input, ...(p.eid !== undefined ? { eid: p.eid } : {}), ...(p.id !== undefined ? { id: p.id } : {}) };
      const { result, errors } = this.deps.records.check(ctx, model, input, 'create');
      const fresh = errors.filter((e) => !p.failed.has(e.field));
      for (const e of fresh) this.issue(p.row, e.field, e.code, e.message, cellText((input as Record<string, unknown>)[e.field]));
      if (errors.length || p.failed.size) continue;
      try {
        stampDefaults(ctx, model, result.values);
      } catch (error) {
        this.problemIssues(p.row, error);
        continue;
      }
      creates.push({ row: p.row, input, record: { id: result.id ?? uuidv7(), eid: result.eid, values: result.values } });
    }
    await this.create(trx, creates);
    if (updates.length) await this.settle();
    for (const u of updates) {
      await this.guarded(trx, u.row, async () => {
        await this.deps.records.update(trx, ctx, this.input.catalog, model, u.id, u.input);
        this.counts.updated += 1;
      });
    }
    this.counts.skipped = this.badRows.size;
  }

  /** Cellules → entrée d'API par le plan des colonnes ; les cellules invalides sont rapportées. */
  private prepare(source: SourceRow): Prepared | undefined {
    if (source.problem) {
      this.rowIssue(source.row, '', source.problem, null);
      return undefined;
    }
    const plan = this.planFor(source.values);
    const prepared: Prepared = { row: source.row, input: {}, failed: new Set() };
    for (const { header, target } of plan.columns) {
      const raw = source.values[header];
      if (target === 'eid' || target === 'id') {
        const text = raw === undefined || raw === null || raw === '' ? undefined : String(raw).trim();
        if (target === 'eid') prepared.eid = text;
        else prepared.id = text;
        continue;
      }
      const converted = convertCell(target, raw, this.input.options.dateOrder);
      if (!converted.ok) {
        prepared.failed.add(target.name);
        this.rowIssue(source.row, target.name, converted.code, cellText(raw), { expected: converted.expected ?? '' });
        continue;
      }
      // cellule vide (undefined) : absente à la création (le défaut s'applique), effacée à la mise à jour
      prepared.input[target.name] = converted.value;
    }
    return prepared;
  }

  /** Jetons de référence (eid ou id) → id, une requête par entité cible et par lot. */
  private async resolveRefs(trx: Tx, prepared: Prepared[]): Promise<void> {
    const byTarget = new Map<FieldModel, Set<string>>();
    for (const p of prepared) {
      for (const [name, value] of Object.entries(p.input)) {
        if (!(value instanceof RefTokens)) continue;
        const field = this.input.model.byName.get(name)!;
        const set = byTarget.get(field) ?? new Set<string>();
        value.tokens.forEach((t) => set.add(t));
        byTarget.set(field, set);
      }
    }
    const resolved = new Map<FieldModel, Map<string, string>>();
    if (byTarget.size) await this.settle();
    for (const [field, tokens] of byTarget) {
      const target = field.type === 'file' ? undefined : this.input.catalog.get(field.def.options?.to ?? '');
      const map = new Map<string, string>();
      if (!target) {
        // fichier (ou cible inconnue) : seul un id est permis, vérifié par la base
        tokens.forEach((t) => UUID.test(t) && map.set(t, t.toLowerCase()));
      } else {
        const list = [...tokens];
        const ids = list.filter((t) => UUID.test(t)).map((t) => t.toLowerCase());
        const { rows } = await sql<{ id: string; eid: string }>`SELECT id::text AS id, eid FROM ${sql.table(target.table)}
          WHERE (eid = ANY(${list}::text[]) OR id = ANY(${ids}::uuid[])) AND deleted_at IS NULL`.execute(trx);
        for (const r of rows) {
          map.set(r.eid, r.id);
          map.set(r.id, r.id);
        }
        for (const t of ids) if (map.has(t.toLowerCase())) map.set(t, t.toLowerCase());
      }
      resolved.set(field, map);
    }
    for (const p of prepared) {
      for (const [name, value] of Object.entries(p.input)) {
        if (!(value instanceof RefTokens)) continue;
        const field = this.input.model.byName.get(name)!;
        const map = resolved.get(field)!;
        const missing = value.tokens.find((t) => !map.has(t));
        if (missing !== undefined) {
          this.rowIssue(p.row, name, 'reference_not_found', missing, { entity: field.def.options?.to ?? field.type, value: missing });
          p.failed.add(name);
          delete p.input[name];
          continue;
        }
        const ids = value.tokens.map((t) => map.get(t)!);
        p.input[name] = value.many ? ids : ids[0];
      }
    }
  }

  /** Enregistrements déjà présents pour les eid du lot (supprimés compris, pour le signaler). */
  private async existing(trx: Tx, prepared: Prepared[]): Promise<Map<string, { id: string; deleted: boolean }>> {
    // création seule : pas de recherche, l'index unique des eid refuse les doublons (rapportés ligne par ligne)
    const eids = this.input.options.mode === 'upsert' ? prepared.flatMap((p) => (p.eid !== undefined ? [p.eid] : [])) : [];
    if (!eids.length) return new Map();
    await this.settle();
    const { rows } = await sql<{ id: string; eid: string; deleted: boolean }>`SELECT id::text AS id, eid, deleted_at IS NOT NULL AS deleted
      FROM ${sql.table(this.input.model.table)} WHERE eid = ANY(${eids}::text[])`.execute(trx);
    return new Map(rows.map((r) => [r.eid, r]));
  }

  /** Créations du lot : une instruction ; si elle échoue (contrainte), ligne par ligne pour désigner les coupables. */
  private async create(trx: Tx, creates: Array<{ row: number; record: NewRecord; input: Record<string, unknown> }>): Promise<void> {
    if (!creates.length) return;
    await this.settle();
    const { ctx, model, catalog } = this.input;
    const event = (records: NewRecord[]) => ({ topic: `${model.name}.imported`, payload: { entity: model.name, job: this.input.jobId, ids: records.map((r) => r.id) } });
    if (this.direct && !this.careful) {
      // l'instruction part ; le lot suivant est lu, converti et validé pendant que la base l'exécute
      const all = creates.map((c) => c.record);
      this.pending = bulkCreate(trx, ctx, model, all, event(all)).then(() => undefined, (error: unknown) => {
        this.failure = error;
      });
      this.counts.created += creates.length;
      return;
    }
    if (this.direct) {
      const all = creates.map((c) => c.record);
      const done = await this.savepoint(trx, () => bulkCreate(trx, ctx, model, all, event(all)));
      if (done === true) {
        this.counts.created += creates.length;
        return;
      }
    }
    for (const c of creates) {
      await this.guarded(trx, c.row, async () => {
        if (this.direct) await bulkCreate(trx, ctx, model, [c.record], event([c.record]));
        else await this.deps.records.create(trx, ctx, catalog, model, { ...c.input, id: c.record.id });
        this.counts.created += 1;
      });
    }
  }

  /** Attend la création en vol ; son échec demande la reprise en mode prudent. */
  private async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw new Retry(failure);
    }
  }

  /**
   * Travail dans un point de sauvegarde (mode prudent) : vrai s'il a réussi, l'erreur sinon (la transaction reste
   * utilisable). Hors mode prudent, sans point de sauvegarde : un échec demande la reprise (`Retry`).
   */
  private async savepoint(trx: Tx, work: () => Promise<void>): Promise<true | unknown> {
    if (!this.careful) {
      try {
        await work();
        return true;
      } catch (error) {
        throw new Retry(error);
      }
    }
    await sql`SAVEPOINT import_row`.execute(trx);
    try {
      await work();
      await sql`RELEASE SAVEPOINT import_row`.execute(trx);
      return true;
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT import_row`.execute(trx);
      return error;
    }
  }

  private async guarded(trx: Tx, row: number, work: () => Promise<void>): Promise<void> {
    const outcome = await this.savepoint(trx, work);
    if (outcome !== true) this.problemIssues(row, outcome);
  }

  // --- rapport ---

  private problemIssues(row: number, error: unknown): void {
    const problem = toProblem(error, this.input.ctx.locale, this.input.model);
    if (!problem) throw error;
    const errors = problem.errors?.length ? problem.errors : [{ field: '', code: problem.code, message: problem.message }];
    for (const e of errors) this.issue(row, e.field, e.code, e.message);
  }

  private rowIssue(row: number, field: string, code: string, value: string | null | undefined, params: Record<string, string | number> = {}): void {
    this.issue(row, field, code, message(this.input.ctx.locale, code, { field, ...params }), value ?? null);
  }

  /** lignes en erreur distinctes du travail (une ligne peut porter plusieurs erreurs) */
  private readonly badRows = new Set<number>();
  /** ajouts du lot en cours (à défaire si le lot est repris) */
  private batchEids: string[] = [];
  private batchBadRows: number[] = [];
  /** mode prudent : chaque écriture sous un point de sauvegarde (après un échec) */
  private careful = false;
  /** création en lot envoyée à la base et pas encore attendue, et son échec éventuel */
  private pending?: Promise<void>;
  private failure?: unknown;

  private issue(row: number, field: string, code: string, text: string, value: string | null = null): void {
    this.issues.push({ row, field, code, message: text, value });
    this.counts.errors += 1;
    if (!this.badRows.has(row)) {
      this.badRows.add(row);
      this.batchBadRows.push(row);
    }
  }

  private takeIssues(): ImportIssue[] {
    const taken = this.issues;
    this.issues = [];
    return taken;
  }

  /** Progression et problèmes du lot ; vrai si l'annulation a été demandée. */
  private report(): Promise<boolean> {
    const columns = this.columns;
    this.columns = undefined;
    return this.jobs.progress(this.scope, this.input.jobId, this.counts, this.takeIssues(), columns);
  }
}
