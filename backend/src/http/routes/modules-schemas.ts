// Schémas des routes des modules (modules.ts) : catalogue du tenant, cycle de vie, paquets, licences, tâches, place
// de marché, coquille, fichiers d'interface et routes propres aux modules. Les corps sont vérifiés par les gestionnaires
// (messages par champ) : ils ne sont que documentés (`requestBody`) ; le nom d'un module n'est pas contraint par le
// schéma (un nom invalide ou inconnu répond 404, comme un module inactif).
import { json, problems, type Doc } from '../openapi/path-helpers.js';
import { routeSchema, type RouteSchema } from '../openapi/route-schema.js';

const tags = ['modules'];

const LABEL = { type: 'object', required: ['en'], properties: { en: { type: 'string' } }, additionalProperties: { type: 'string' } };
const MODULE = {
  type: 'object',
  required: ['name', 'version', 'label', 'state', 'dependencies', 'license'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string', description: 'Version in place (installed) or newest in the catalog' },
    label: LABEL,
    description: LABEL,
    author: { type: 'string' },
    state: { type: 'string', enum: ['available', 'installed', 'active', 'inactive'] },
    dependencies: { type: 'object', additionalProperties: { type: 'string' }, description: 'Module name → semver range' },
    license: { type: 'string', enum: ['free', 'commercial'] },
    source: { type: 'string', enum: ['builtin', 'upload', 'remote'] },
    latest: { type: 'string', description: 'Newest version in the catalog (greater than version: an upgrade is available)' },
  },
};
const NAME = { type: 'object', properties: { name: { type: 'string', description: 'module name' } }, required: ['name'] } as const;
const MODULE_RESPONSE = { 200: { description: 'The module and its new state', ...json(MODULE) } };
/** Reste du chemin (`*` de la route), nommé `path` dans le document. */
const restOfPath = (description: string) => ({ name: 'path', in: 'path', required: true, description, schema: { type: 'string' } });

/** Étape du cycle de vie d'un module : POST sur /api/v1/modules/{name}/<étape>, le module et son nouvel état en réponse. */
const step = (operationId: string, summary: string, body?: Doc) => routeSchema({
  operationId, tags, summary, params: NAME,
  ...(body ? { requestBody: { required: false, ...json(body) } } : {}),
  responses: { ...MODULE_RESPONSE, ...problems(400, 404, 409) },
});

export const listModulesSchema = routeSchema({
  operationId: 'listModules', tags, summary: 'Module catalog with the state of each module in the tenant (administrators)',
  responses: { 200: { description: 'Modules', ...json({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: MODULE } } }) } },
});

export const getModuleSchema = routeSchema({
  operationId: 'getModule', tags, params: NAME, summary: 'One module of the catalog',
  responses: { ...MODULE_RESPONSE, ...problems(404) },
});

export const installModuleSchema = step(
  'installModule',
  'Install the module and its missing dependencies (dependencies first), active unless activate is false. 409 lists the reasons: cycle, missing or unsatisfied dependency, incompatible core, conflict, licence, failed migration',
  { type: 'object', properties: { activate: { type: 'boolean', default: true } } },
);
export const activateModuleSchema = step('activateModule', 'Activate the module and the installed modules it depends on; takes effect at once on every API node');
export const deactivateModuleSchema = step(
  'deactivateModule', 'Deactivate the module: its endpoints answer 404 and its hooks stop, its data stays. 409 while an active module depends on it',
);
export const uninstallModuleSchema = step(
  'uninstallModule',
  'Uninstall the module from the tenant. keepData (default true) keeps tables and values for a later reinstall; false erases the tenant\'s data. 409 while an installed module depends on it',
  { type: 'object', properties: { keepData: { type: 'boolean', default: true } } },
);
export const upgradeModuleSchema = step(
  'upgradeModule', 'Upgrade the platform to the newest version in the catalog (schema completed, new migrations run, data kept); super-administrator',
);

export const setLicenceSchema = routeSchema({
  operationId: 'setModuleLicence', tags, params: NAME,
  summary: 'Store the signed licence (Ed25519) of a commercial module for the tenant; verified against the platform setting modules.licence.publicKeys',
  requestBody: { required: true, ...json({ type: 'object', required: ['licence', 'signature'], properties: {
    licence: { type: 'object', required: ['module', 'tenant', 'expires'], properties: { module: { type: 'string' }, tenant: { type: 'string' }, expires: { type: 'string', format: 'date' }, seats: { type: 'integer', minimum: 1 }, issuedTo: { type: 'string' } } },
    signature: { type: 'string', description: 'Base64 Ed25519 signature of the canonical JSON (sorted keys) of licence' },
  } }) },
  responses: { 200: { description: 'Licence accepted', ...json({ type: 'object', properties: { module: { type: 'string' }, expires: { type: 'string' }, seats: { type: 'integer' } } }) }, ...problems(400, 404) },
});

export const listTasksSchema = routeSchema({
  operationId: 'listModuleTasks', tags, params: NAME, summary: 'Scheduled tasks of an active module with their last run (administrators)',
  responses: { 200: { description: 'Tasks' }, ...problems(404) },
});

export const runTaskSchema = routeSchema({
  operationId: 'runModuleTask', tags, summary: 'Run a task of an active module now (administrators)',
  params: { type: 'object', properties: { name: NAME.properties.name, task: { type: 'string', description: 'task name, as declared by the module' } }, required: ['name', 'task'] },
  responses: { 200: { description: 'Run' }, ...problems(404) },
});

export const uploadModuleSchema = routeSchema({
  operationId: 'uploadModule', tags,
  summary: 'Upload a module package (.tgz built by "opsflux module pack") to the catalog; size, paths, links and manifest checked (super-administrator)',
  requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
  responses: { 201: { description: 'Added to the catalog', ...json(MODULE) }, ...problems(400, 409, 413, 415) },
});

export const marketplaceSchema = routeSchema({
  operationId: 'listMarketplaceModules', tags, security: [], summary: 'Public listing of the catalog (no authentication), for the public web site',
  responses: { 200: { description: 'Catalog', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }) } },
});

export const shellModulesSchema = routeSchema({
  operationId: 'listShellModules', tags,
  summary: 'Active modules of the tenant for the frontend shell: menus, translations and the URL of their ES module with its pages',
  responses: { 200: { description: 'Active modules', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: {
    name: { type: 'string' }, version: { type: 'string' }, label: LABEL, menus: { type: 'array', items: { type: 'object' } },
    frontend: { type: ['object', 'null'], properties: { url: { type: 'string' }, pages: { type: 'array', items: { type: 'object' } } } },
    translations: { type: 'object' },
  } } } } }) } },
});

export const frontendFileSchema = routeSchema({
  operationId: 'getModuleFrontendFile', tags, params: NAME, summary: 'Files of the built frontend of an active module (its ES module and assets)',
  parameters: [restOfPath('file in the folder of the module\'s ES module')],
  responses: { 200: { description: 'File' }, ...problems(404) },
});

/**
 * Routes propres à un module actif (/api/v1/mod/{module}/{path}), une opération par méthode : un identifiant
 * d'opération ne peut servir qu'une fois dans le document.
 */
export function moduleEndpointSchema(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'): RouteSchema {
  const verb = method.toLowerCase();
  const success = method === 'POST' ? 201 : 200;
  return routeSchema({
    operationId: `${verb}ModuleEndpoint`, tags,
    summary: `${method} an endpoint of an active module (declared by its routes); 404 when the module is not active in the tenant`,
    description: 'The permission declared by the module route is checked; the call runs in a transaction of the tenant (read-only for GET). An empty result answers 204.',
    params: { type: 'object', properties: { module: { type: 'string', description: 'module name' } }, required: ['module'] },
    parameters: [restOfPath('path of the module route')],
    ...(method === 'GET' || method === 'DELETE' ? {} : { requestBody: { required: false, ...json({ description: 'as declared by the module route' }) } }),
    responses: { [success]: { description: 'Module response' }, 204: { description: 'No content (the module route returned nothing)' }, ...problems(404, 422) },
  });
}
