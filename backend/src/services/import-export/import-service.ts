// Service d'import : reçoit le fichier, crée le travail, l'exécute en arrière-plan (file d'attente bornée par
// `import.concurrency` sur ce nœud), et donne à lire l'état, le rapport et l'annulation.
import { rm } from 'node:fs/promises';
import { v7 as uuidv7 } from 'uuid';
import type { Settings } from '../../config/settings.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { notFound } from '../../errors/problem.js';
import type { HookRules } from '../automation/hook-rules.js';
import { ImportJobs, jobView, type JobRow, type JobView } from './import-jobs.js';
import { ImportRun, type ImportOptions, type ImportRunDeps } from './import-run.js';
import type { ImportFormat } from './read.js';

export interface ImportRequest {
  ctx: RequestContext;
  catalog: Catalog;
  model: EntityModel;
  /** fichier sur le disque local ; `temporary` : reçu pour ce travail, supprimé à sa fin */
  file: { path: string; name: string; size: number; temporary: boolean };
  format: ImportFormat;
  options: ImportOptions;
}

export interface ImportServiceDeps extends ImportRunDeps {
  settings: Settings;
  hookRules: HookRules;
}

export class ImportService {
  readonly jobs: ImportJobs;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** fin des travaux lancés par ce nœud (attente par `wait`) */
  private readonly done = new Map<string, Promise<void>>();

  constructor(private readonly deps: ImportServiceDeps, private readonly onError: (error: unknown) => void) {
    this.jobs = new ImportJobs(deps.db);
  }

  /** Crée le travail et le met en file ; renvoie aussitôt son état (`queued`). */
  async start(request: ImportRequest): Promise<JobView> {
    const { ctx, model, file, format, options } = request;
    const scope = { tenantId: ctx.tenantId, userId: ctx.userId };
    const id = uuidv7();
    const row = await this.jobs.create(scope, { id, entity: model.name, format, fileName: file.name, fileBytes: file.size, options: { ...options } });
    const finished = this.run(request, id).catch(this.onError).finally(() => {
      this.done.delete(id);
      if (file.temporary) void rm(file.path, { force: true });
    });
    this.done.set(id, finished);
    return jobView(row);
  }

  private async run(request: ImportRequest, jobId: string): Promise<void> {
    await this.slot();
    try {
      const [batchSize, maxErrors] = await Promise.all([
        this.deps.settings.platformValue<number>('import.batchSize'),
        this.deps.settings.value<number>('import.maxErrors', { tenantId: request.ctx.tenantId, userId: request.ctx.userId }),
        // le chemin direct de l'import dépend de l'absence de règles d'automatisation sur l'entité
        this.deps.hookRules.prime(request.ctx.tenantId),
      ]);
      // contexte propre au travail : son identifiant de requête regroupe ses lignes dans le journal d'audit ; les
      // champs écrits sont ceux que les métadonnées permettent à un import
      const ctx: RequestContext = { ...request.ctx, requestId: `import-${jobId}`, writer: 'import' };
      const run = new ImportRun(this.deps, this.jobs, {
        jobId, ctx, catalog: request.catalog, model: request.model, path: request.file.path, format: request.format, options: request.options, limits: { batchSize, maxErrors },
      });
      try {
        await run.execute();
      } catch (error) {
        // erreur inattendue : le travail est marqué en échec, l'erreur part au journal
        await this.jobs.finish({ tenantId: ctx.tenantId, userId: ctx.userId }, jobId, 'failed', run.progress(), 'internal error').catch(() => undefined);
        throw error;
      }
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    const limit = await this.deps.settings.platformValue<number>('import.concurrency');
    if (this.running < limit) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
  }

  private release(): void {
    this.running -= 1;
    this.waiting.shift()?.();
  }

  /** Attend la fin d'un travail lancé par ce nœud (au plus `timeoutMs`), puis renvoie son état. */
  async wait(ctx: RequestContext, id: string, timeoutMs: number): Promise<JobView> {
    const finished = this.done.get(id);
    if (finished) await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    return this.get(ctx, id);
  }

  /** Un travail du tenant : le sien, ou tous pour qui peut importer l'entité. */
  async find(ctx: RequestContext, id: string): Promise<JobRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.jobs.get({ tenantId: ctx.tenantId, userId: ctx.userId }, id) : undefined;
    if (!row || !this.visible(ctx, row)) throw notFound();
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<JobView> {
    return jobView(await this.find(ctx, id));
  }

  private visible(ctx: RequestContext, row: JobRow): boolean {
    return row.created_by === ctx.userId || ctx.system === true || ctx.superAdmin === true || ctx.access?.admin === true;
  }

  async list(ctx: RequestContext, options: { limit: number; before?: Date }): Promise<JobView[]> {
    const all = ctx.system === true || ctx.superAdmin === true || ctx.access?.admin === true;
    const rows = await this.jobs.list({ tenantId: ctx.tenantId, userId: ctx.userId }, { ...options, ...(all ? {} : { createdBy: ctx.userId ?? '' }) });
    return rows.map(jobView);
  }

  async cancel(ctx: RequestContext, id: string): Promise<JobView> {
    await this.find(ctx, id);
    await this.jobs.requestCancel({ tenantId: ctx.tenantId, userId: ctx.userId }, id);
    return this.get(ctx, id);
  }

  /** Attend les travaux en cours (arrêt propre du nœud). */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.done.values()]);
  }
}
