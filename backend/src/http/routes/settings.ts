// API des réglages : déclarations et valeurs effectives, écriture et remise à zéro par niveau.
// Droits : plateforme → super-administrateur ; tenant et société → administrateur du tenant ; utilisateur → lui-même
// (ou un administrateur). Les secrets ne sont jamais renvoyés : seulement s'ils sont définis.
import type { SettingLevel } from '@opsflux/sdk';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformServices } from '../../core/services.js';
import type { RegisteredSetting } from '../../config/registry.js';
import { LEVELS } from '../../config/registry.js';
import type { ResolvedSetting, SettingAudience, SettingTarget } from '../../config/settings.js';
import type { RequestContext } from '../../engine/context.js';
import { UUID } from '../../engine/validate.js';
import { message } from '../../text/messages.js';
import { requireAuth } from '../auth.js';
import { badRequest, notFound, ProblemError } from '../../errors/problem.js';
import { json, problems } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type SettingRouteDeps = Pick<PlatformServices, 'catalog' | 'settings'>;

const tags = ['settings'];
const LEVEL = { type: 'string', enum: [...LEVELS] };
const SETTING = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'object', additionalProperties: { type: 'string' } },
    description: { type: 'object', additionalProperties: { type: 'string' } },
    scope: LEVEL,
    levels: { type: 'array', items: LEVEL },
    secret: { type: 'boolean' },
    schema: { type: 'object', description: 'JSON Schema of the value' },
    default: {},
    value: { description: 'Effective value (absent for secrets)' },
    isSet: { type: 'boolean', description: 'Secrets only: whether a value is set' },
    setKeys: { type: 'array', items: { type: 'string' }, description: 'Secrets holding an object (such as provider name → key): the names of its entries, never their values' },
    source: { type: 'string', enum: ['default', ...LEVELS] },
  },
};
// paramètres et corps validés par les gestionnaires (messages propres) : documentés seulement ; la clé reste une chaîne
// (réglage inconnu : 404)
const KEY = { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] };
const COMPANY = { name: 'companyId', in: 'query', required: false, schema: { type: 'string', format: 'uuid' }, description: 'Resolve for this company' };

const listSchema = routeSchema({
  operationId: 'listSettings', tags, summary: 'Settings with their effective values (administrators see all; users their user-level settings)',
  parameters: [COMPANY],
  responses: { 200: { description: 'Settings', ...json({ type: 'object', properties: { data: { type: 'array', items: SETTING } } }) }, ...problems(400) },
});
const getSchema = routeSchema({
  operationId: 'getSetting', tags, summary: 'One setting, with the value set at each level', params: KEY, parameters: [COMPANY],
  responses: { 200: { description: 'Setting', ...json({ ...SETTING, properties: { ...SETTING.properties, values: { type: 'object' } } }) }, ...problems(400, 404) },
});
const setSchema = routeSchema({
  operationId: 'setSetting', tags, params: KEY,
  summary: 'Set a value at a level (default: own value for user settings, else the tenant); validated against the schema and audited',
  requestBody: { required: true, ...json({ type: 'object', required: ['value'], properties: { value: {}, level: LEVEL, targetId: { type: 'string', format: 'uuid', description: 'Company or user id' } } }) },
  responses: { 200: { description: 'Setting', ...json(SETTING) }, ...problems(400, 404) },
});
const mergeSchema = routeSchema({
  operationId: 'mergeSetting', tags, params: KEY,
  summary: 'Merge entries into an object setting at a level (JSON Merge Patch: null removes an entry) — e.g. one provider key of a secret without re-entering the others; validated and audited',
  requestBody: { required: true, ...json({ type: 'object', required: ['value'], properties: { value: { type: 'object' }, level: LEVEL, targetId: { type: 'string', format: 'uuid', description: 'Company or user id' } } }) },
  responses: { 200: { description: 'Setting', ...json(SETTING) }, ...problems(400, 403, 404) },
});
const resetSchema = routeSchema({
  operationId: 'resetSetting', tags, params: KEY, summary: 'Remove the value of a level: the broader level or the default applies again',
  parameters: [{ name: 'level', in: 'query', schema: LEVEL }, { name: 'targetId', in: 'query', schema: { type: 'string', format: 'uuid' } }],
  responses: { 204: { description: 'Reset' }, ...problems(400, 404) },
});

const isAdmin = (ctx: RequestContext) => ctx.access?.superAdmin === true || ctx.access?.admin === true;
const forbidden = (detail: string) => new ProblemError(403, 'forbidden', detail);

/**
 * Un non-administrateur ne voit que les réglages qu'il peut poser pour lui-même ; le réglage d'un module n'existe que
 * dans les tenants où ce module est actif.
 */
function visible(ctx: RequestContext, setting: RegisteredSetting, modules: ReadonlySet<string>): boolean {
  return (isAdmin(ctx) || setting.scope === 'user') && (!setting.module || modules.has(setting.module));
}

/** Réglage déclaré et visible de l'appelant ; sinon 404 (un réglage invisible n'existe pas pour lui). */
async function visibleSetting(deps: SettingRouteDeps, ctx: RequestContext, key: string): Promise<RegisteredSetting> {
  const setting = deps.settings.declared(key);
  if (!visible(ctx, setting, (await deps.catalog(ctx.tenantId)).modules)) throw notFound(`Unknown setting "${setting.key}"`);
  return setting;
}

function describe(setting: RegisteredSetting, resolved: ResolvedSetting) {
  return {
    key: setting.key,
    label: setting.label,
    ...(setting.description ? { description: setting.description } : {}),
    scope: setting.scope,
    levels: setting.levels,
    secret: setting.secret ?? false,
    schema: setting.schema,
    default: setting.secret ? null : setting.default,
    ...(setting.secret ? { isSet: resolved.source !== 'default', ...secretEntries(resolved.value) } : { value: resolved.value }),
    source: resolved.source,
  };
}

/** Noms des entrées d'un secret objet (ils ne sont pas secrets : les valeurs le sont). */
function secretEntries(value: unknown): { setKeys?: string[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { setKeys: Object.keys(value).sort() } : {};
}

/** Corps d'écriture : un objet JSON avec `value`. */
function writeBody(ctx: RequestContext, body: unknown): { value: unknown; level?: unknown; targetId?: unknown } {
  // un scalaire ou un tableau JSON n'est pas un corps de réglage (`in` lèverait une TypeError : 500)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('validation_failed', 'The request body must be a JSON object', [{ field: '', code: 'body_not_object', message: message(ctx.locale, 'body_not_object') }]);
  }
  if (!('value' in body)) throw badRequest('validation_failed', 'value is required', [{ field: 'value', code: 'required', message: 'This field is required.' }]);
  return body as { value: unknown; level?: unknown; targetId?: unknown };
}

function audience(ctx: RequestContext, request: FastifyRequest<{ Querystring: { companyId?: string } }>): SettingAudience {
  const companyId = request.query.companyId;
  if (companyId !== undefined && !UUID.test(companyId)) throw badRequest('invalid_parameter', 'companyId must be a UUID');
  return { tenantId: ctx.tenantId, userId: ctx.userId, companyId: companyId ?? null };
}

/** Niveau et cible d'une écriture, et droit de l'appelant d'y écrire. */
function target(ctx: RequestContext, setting: RegisteredSetting, level: unknown, targetId: unknown): SettingTarget {
  // par défaut : sa propre valeur pour un réglage d'utilisateur, sinon celle du tenant (ou de la plateforme)
  const fallback: SettingLevel = setting.scope === 'user' ? 'user' : setting.levels.includes('tenant') ? 'tenant' : 'platform';
  const chosen = (level ?? fallback) as SettingLevel;
  if (!LEVELS.includes(chosen)) throw badRequest('validation_failed', `level must be one of ${LEVELS.join(', ')}`);
  if (targetId !== undefined && (typeof targetId !== 'string' || !UUID.test(targetId))) throw badRequest('validation_failed', 'targetId must be a UUID');
  const id = chosen === 'user' ? ((targetId as string | undefined) ?? ctx.userId ?? undefined) : (targetId as string | undefined);
  if (chosen === 'platform') {
    if (!ctx.access?.superAdmin || ctx.tokenId) throw forbidden('Only the platform super-administrator changes platform settings');
  } else if (!(chosen === 'user' && id === ctx.userId) && !isAdmin(ctx)) {
    throw forbidden('Only an administrator changes the settings of the tenant, its companies and other users');
  }
  return { level: chosen, targetId: id };
}

export function registerSettingRoutes(app: FastifyInstance, deps: SettingRouteDeps): void {
  app.get<{ Querystring: { companyId?: string } }>('/api/v1/settings', { schema: listSchema }, async (request) => {
    const ctx = requireAuth(request);
    const resolved = await deps.settings.resolveAll(audience(ctx, request));
    const { modules } = await deps.catalog(ctx.tenantId);
    const data = deps.settings.registry.list()
      .map((setting, i) => ({ setting, resolved: resolved[i]! }))
      .filter(({ setting }) => visible(ctx, setting, modules))
      .map(({ setting, resolved: r }) => describe(setting, r));
    return { data };
  });

  app.get<{ Params: { key: string }; Querystring: { companyId?: string } }>('/api/v1/settings/:key', { schema: getSchema }, async (request) => {
    const ctx = requireAuth(request);
    const setting = await visibleSetting(deps, ctx, request.params.key);
    const who = audience(ctx, request);
    const resolved = await deps.settings.resolve(setting.key, who);
    const levels = setting.secret ? {} : await deps.settings.levels(setting.key, who);
    return { ...describe(setting, resolved), values: levels };
  });

  app.put<{ Params: { key: string }; Body: { value?: unknown; level?: unknown; targetId?: unknown } | undefined }>('/api/v1/settings/:key', { schema: setSchema }, async (request) => {
    const ctx = requireAuth(request);
    const setting = await visibleSetting(deps, ctx, request.params.key);
    const body = writeBody(ctx, request.body ?? {});
    await deps.settings.set(ctx, setting.key, body.value, target(ctx, setting, body.level, body.targetId));
    return describe(setting, await deps.settings.resolve(setting.key, { tenantId: ctx.tenantId, userId: ctx.userId }));
  });

  app.patch<{ Params: { key: string }; Body: unknown }>('/api/v1/settings/:key', { schema: mergeSchema }, async (request) => {
    const ctx = requireAuth(request);
    const setting = await visibleSetting(deps, ctx, request.params.key);
    const body = writeBody(ctx, request.body ?? {});
    if ((setting.schema as { type?: unknown }).type !== 'object' || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
      throw badRequest('validation_failed', 'Only an object setting takes a merge, with an object value', [{ field: 'value', code: 'not_mergeable', message: message(ctx.locale, 'not_mergeable') }]);
    }
    await deps.settings.merge(ctx, setting.key, body.value as Record<string, unknown>, target(ctx, setting, body.level, body.targetId));
    return describe(setting, await deps.settings.resolve(setting.key, { tenantId: ctx.tenantId, userId: ctx.userId }));
  });

  app.delete<{ Params: { key: string }; Querystring: { level?: string; targetId?: string } }>('/api/v1/settings/:key', { schema: resetSchema }, async (request, reply) => {
    const ctx = requireAuth(request);
    const setting = await visibleSetting(deps, ctx, request.params.key);
    await deps.settings.reset(ctx, setting.key, target(ctx, setting, request.query.level, request.query.targetId));
    return reply.code(204).send();
  });
}
