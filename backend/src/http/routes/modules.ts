// API des modules (CONTRACT « Modules ») : catalogue vu du tenant, cycle de vie, téléversement de paquets, licences,
// mise à niveau ; place de marché publique ; routes propres aux modules (/api/v1/mod/<module>/…) et fichiers de leur
// interface (/api/v1/modules/<module>/frontend/…), qui répondent 404 dès que le module n'est plus actif dans le tenant.
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { PlatformServices } from '../../core/services.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityAction } from '../../engine/access.js';
import { invalidArchive } from '../../modules/archive.js';
import { versionsOf } from '../../modules/catalog.js';
import { moduleCall } from '../../modules/context.js';
import { requireAdmin, requireAuth, requireSuperAdmin } from '../auth.js';
import {
  activateModuleSchema, deactivateModuleSchema, frontendFileSchema, getModuleSchema, installModuleSchema, listModulesSchema, listTasksSchema,
  marketplaceSchema, moduleEndpointSchema, runTaskSchema, setLicenceSchema, shellModulesSchema, uninstallModuleSchema, upgradeModuleSchema,
  uploadModuleSchema,
} from './modules-schemas.js';
import { notFound, ProblemError } from '../../errors/problem.js';

/** Services que ces routes utilisent. */
export type ModuleRouteDeps = Pick<PlatformServices, 'catalog' | 'moduleCatalog' | 'moduleRuntime' | 'modules' | 'records' | 'settings' | 'taskScheduler' | 'tenantTx'>;

type Named = { Params: { name: string } };
const NAME = /^[a-z][a-z0-9_]{1,39}$/;
const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const MEDIA_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
};

const manage = (request: FastifyRequest) => requireAdmin(request, 'Only an administrator of the tenant manages its modules');

function moduleName(request: FastifyRequest<Named>): string {
  const { name } = request.params;
  if (!NAME.test(name)) throw notFound(`Unknown module "${name}"`);
  return name;
}

function keepDataOf(body: unknown): boolean {
  const keepData = (body as { keepData?: unknown } | undefined)?.keepData ?? true;
  if (typeof keepData !== 'boolean') {
    throw new ProblemError(400, 'validation_failed', 'keepData must be true or false', [{ field: 'keepData', code: 'invalid_type', message: 'Expected boolean.' }]);
  }
  return keepData;
}

/** Module actif dans le tenant de l'appelant, sinon 404 (un module inactif n'expose rien). */
async function activeModule(deps: ModuleRouteDeps, ctx: RequestContext, name: string) {
  const catalog = await deps.catalog(ctx.tenantId);
  const loaded = deps.moduleRuntime.loaded(name);
  if (!loaded || !catalog.modules.has(name)) throw notFound(`Unknown module "${name}"`);
  return { loaded, catalog };
}

export function registerModuleRoutes(app: FastifyInstance, deps: ModuleRouteDeps): void {
  app.get('/api/v1/modules', { schema: listModulesSchema }, async (request) => {
    const ctx = manage(request);
    return { data: await deps.modules.list(ctx) };
  });

  app.get<Named>('/api/v1/modules/:name', { schema: getModuleSchema }, async (request) => deps.modules.get(manage(request), moduleName(request)));

  app.post<Named & { Body: { activate?: unknown } | undefined }>('/api/v1/modules/:name/install', { schema: installModuleSchema }, async (request) => {
    const activate = request.body?.activate;
    if (activate !== undefined && typeof activate !== 'boolean') {
      throw new ProblemError(400, 'validation_failed', 'activate must be true or false', [{ field: 'activate', code: 'invalid_type', message: 'Expected boolean.' }]);
    }
    return deps.modules.install(manage(request), moduleName(request), { activate });
  });
  app.post<Named>('/api/v1/modules/:name/activate', { schema: activateModuleSchema }, async (request) => deps.modules.activate(manage(request), moduleName(request)));
  app.post<Named>('/api/v1/modules/:name/deactivate', { schema: deactivateModuleSchema }, async (request) => deps.modules.deactivate(manage(request), moduleName(request)));
  app.post<Named & { Body: unknown }>('/api/v1/modules/:name/uninstall', { schema: uninstallModuleSchema }, async (request) =>
    deps.modules.uninstall(manage(request), moduleName(request), keepDataOf(request.body)));
  app.post<Named>('/api/v1/modules/:name/upgrade', { schema: upgradeModuleSchema }, async (request) =>
    deps.modules.upgrade(requireSuperAdmin(request, 'Only the platform super-administrator upgrades modules'), moduleName(request)));
  app.put<Named & { Body: unknown }>('/api/v1/modules/:name/licence', { schema: setLicenceSchema }, async (request) =>
    deps.modules.setLicence(manage(request), moduleName(request), request.body));

  app.get<Named>('/api/v1/modules/:name/tasks', { schema: listTasksSchema }, async (request) => {
    const ctx = manage(request);
    const { loaded } = await activeModule(deps, ctx, moduleName(request));
    const runs = await deps.tenantTx(ctx, async (trx) => (await sql<{ task: string; slot: Date; finished_at: Date | null; error: string | null }>`
      SELECT DISTINCT ON (task) task, slot, finished_at, error FROM task_run WHERE module = ${loaded.manifest.name} ORDER BY task, slot DESC`.execute(trx)).rows);
    return {
      data: (loaded.manifest.tasks ?? []).map((task) => {
        const last = runs.find((r) => r.task === task.name);
        return { ...task, lastRun: last ? { slot: last.slot, finishedAt: last.finished_at, error: last.error } : null };
      }),
    };
  });

  app.post<Named & { Params: { task: string } }>('/api/v1/modules/:name/tasks/:task/run', { schema: runTaskSchema }, async (request) => {
    const ctx = manage(request);
    const { loaded } = await activeModule(deps, ctx, moduleName(request));
    if (!loaded.manifest.tasks?.some((t) => t.name === request.params.task)) throw notFound(`Unknown task "${request.params.task}"`);
    return deps.taskScheduler.run(ctx.tenantId, loaded.manifest.name, request.params.task, new Date());
  });

  app.post('/api/v1/modules/upload', { schema: uploadModuleSchema }, async (request, reply) => {
    const ctx = requireSuperAdmin(request, 'Only the platform super-administrator uploads modules');
    if (!request.isMultipart()) throw new ProblemError(415, 'unsupported_media_type', 'Send the package as multipart/form-data (field "file")');
    const megabytes = await deps.settings.platformValue<number>('modules.upload.maxMegabytes');
    const maxBytes = megabytes * 1024 * 1024;
    const file = await request.file({ limits: { fileSize: maxBytes } });
    if (!file) throw invalidArchive('no file in the request (field "file")');
    let archive: Buffer;
    try {
      archive = await file.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ProblemError(413, 'payload_too_large', `A module package is at most ${megabytes} MB`);
      throw error;
    }
    const manifest = await deps.moduleCatalog.upload(archive, { maxUnpackedBytes: 5 * maxBytes, maxFiles: 5000 }, ctx.userId, ctx.locale);
    return reply.code(201).send(await deps.modules.get(ctx, manifest.name));
  });

  // place de marché : le catalogue tel que le site public le montre (sans état de tenant, sans authentification)
  app.get('/api/v1/marketplace', { schema: marketplaceSchema }, async () => {
    const entries = await deps.moduleCatalog.entries();
    const names = [...new Set(entries.map((e) => e.manifest.name))].sort();
    return {
      data: names.map((name) => {
        const versions = versionsOf(entries, name);
        const { manifest } = versions[0]!;
        return {
          name, version: manifest.version, versions: versions.map((v) => v.manifest.version), label: manifest.label,
          description: manifest.description ?? null, author: manifest.author ?? null, license: manifest.license?.type ?? 'free',
          dependencies: manifest.dependencies ?? {}, keywords: manifest.keywords ?? [], homepage: manifest.homepage ?? null,
        };
      }),
    };
  });

  // contrat de la coquille : modules actifs du tenant, leurs menus et le module ES de leur interface
  app.get('/api/v1/shell/modules', { schema: shellModulesSchema }, async (request) => {
    const ctx = requireAuth(request);
    const catalog = await deps.catalog(ctx.tenantId);
    const data = [...catalog.modules].sort().flatMap((name) => {
      const loaded = deps.moduleRuntime.loaded(name);
      if (!loaded) return [];
      const { manifest } = loaded;
      return [{
        name, version: manifest.version, label: manifest.label, menus: manifest.menus ?? [],
        frontend: manifest.frontend ? { url: `/api/v1/modules/${name}/frontend/${manifest.frontend.entry}`, pages: manifest.frontend.pages ?? [] } : null,
        translations: loaded.translations,
      }];
    });
    return { data };
  });

  app.get<Named & { Params: { '*': string } }>('/api/v1/modules/:name/frontend/*', { schema: frontendFileSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const { loaded } = await activeModule(deps, ctx, moduleName(request));
    const entry = loaded.manifest.frontend?.entry;
    if (!entry) throw notFound('This module has no frontend');
    // seuls les fichiers du dossier du module ES déclaré sont servis
    const root = resolve(loaded.dir, dirname(entry));
    const file = resolve(loaded.dir, request.params['*']);
    if (!file.startsWith(root + sep) && file !== root) throw notFound();
    const content = await readFile(file).catch(() => {
      throw notFound();
    });
    return reply.type(MEDIA_TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', 'private, max-age=300').send(content);
  });

  // une route par méthode, pour une opération (et un operationId) par méthode dans le document OpenAPI
  for (const method of ROUTE_METHODS) {
    app.route<{ Params: { module: string; '*': string } }>({
      method,
      url: '/api/v1/mod/:module/*',
      schema: moduleEndpointSchema(method),
      handler: async (request, reply) => dispatch(deps, request, reply),
    });
  }
}

/** Route propre à un module actif : permission déclarée vérifiée, appel dans une transaction du tenant. */
async function dispatch(deps: ModuleRouteDeps, request: FastifyRequest<{ Params: { module: string; '*': string } }>, reply: FastifyReply) {
  const ctx = requireAuth(request);
  const name = request.params.module;
  if (!NAME.test(name)) throw notFound();
  const { catalog } = await activeModule(deps, ctx, name);
  const match = deps.moduleRuntime.match(name, request.method, `/${request.params['*']}`);
  if (!match) throw notFound();
  if (match.route.permission) {
    const [entity, action] = match.route.permission.split(':') as [string, EntityAction];
    deps.records.entity(ctx, catalog, entity, action);
  }
  const write = request.method !== 'GET';
  const result = await deps.tenantTx(ctx, (trx) => moduleCall(() => match.route.handler(
    { params: match.params, query: request.query as Record<string, string>, body: request.body },
    deps.moduleRuntime.context(name, trx, ctx, catalog),
  )), { write });
  if (result === undefined || result === null) return reply.code(204).send();
  return reply.code(request.method === 'POST' ? 201 : 200).send(result);
}

