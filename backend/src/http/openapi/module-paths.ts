// Chemins OpenAPI des modules : catalogue du tenant, cycle de vie, paquets, licences, place de marché, coquille.
import { json, pathParameter, problems, type Doc } from './path-helpers.js';

const LABEL = { type: 'object', required: ['en'], additionalProperties: { type: 'string' } };
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
const moduleResponse = { 200: { description: 'The module and its new state', ...json(MODULE) } };
const NAME = pathParameter('name');
const step = (summary: string, body?: Doc, extra: number[] = []) => ({
  parameters: [NAME],
  post: {
    tags: ['modules'], summary,
    ...(body ? { requestBody: { required: false, ...json(body) } } : {}),
    responses: { ...moduleResponse, ...problems(400, 401, 403, 404, 409, ...extra) },
  },
});

export const modulePaths: Doc = {
  '/api/v1/modules': {
    get: {
      tags: ['modules'], summary: 'Module catalog with the state of each module in the tenant (administrators)',
      responses: { 200: { description: 'Modules', ...json({ type: 'object', properties: { data: { type: 'array', items: MODULE } } }) }, ...problems(401, 403) },
    },
  },
  '/api/v1/modules/{name}': {
    parameters: [NAME],
    get: { tags: ['modules'], summary: 'One module of the catalog', responses: { ...moduleResponse, ...problems(401, 403, 404) } },
  },
  '/api/v1/modules/{name}/install': step(
    'Install the module and its missing dependencies (dependencies first), active unless activate is false. 409 lists the reasons: cycle, missing or unsatisfied dependency, incompatible core, conflict, licence, failed migration',
    { type: 'object', properties: { activate: { type: 'boolean', default: true } } },
  ),
  '/api/v1/modules/{name}/activate': step('Activate the module and the installed modules it depends on; takes effect at once on every API node'),
  '/api/v1/modules/{name}/deactivate': step('Deactivate the module: its endpoints answer 404 and its hooks stop, its data stays. 409 while an active module depends on it'),
  '/api/v1/modules/{name}/uninstall': step(
    'Uninstall the module from the tenant. keepData (default true) keeps tables and values for a later reinstall; false erases the tenant\'s data. 409 while an installed module depends on it',
    { type: 'object', properties: { keepData: { type: 'boolean', default: true } } },
  ),
  '/api/v1/modules/{name}/upgrade': step('Upgrade the platform to the newest version in the catalog (schema completed, new migrations run, data kept); super-administrator'),
  '/api/v1/modules/{name}/licence': {
    parameters: [NAME],
    put: {
      tags: ['modules'], summary: 'Store the signed licence (Ed25519) of a commercial module for the tenant; verified against the platform setting modules.licence.publicKeys',
      requestBody: { required: true, ...json({ type: 'object', required: ['licence', 'signature'], properties: {
        licence: { type: 'object', required: ['module', 'tenant', 'expires'], properties: { module: { type: 'string' }, tenant: { type: 'string' }, expires: { type: 'string', format: 'date' }, seats: { type: 'integer', minimum: 1 }, issuedTo: { type: 'string' } } },
        signature: { type: 'string', description: 'Base64 Ed25519 signature of the canonical JSON (sorted keys) of licence' },
      } }) },
      responses: { 200: { description: 'Licence accepted', ...json({ type: 'object', properties: { module: { type: 'string' }, expires: { type: 'string' }, seats: { type: 'integer' } } }) }, ...problems(400, 401, 403) },
    },
  },
  '/api/v1/modules/upload': {
    post: {
      tags: ['modules'], summary: 'Upload a module package (.tgz built by "opsflux module pack") to the catalog; size, paths, links and manifest checked (super-administrator)',
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
      responses: { 201: { description: 'Added to the catalog', ...json(MODULE) }, ...problems(400, 401, 403, 409, 413, 415) },
    },
  },
  '/api/v1/marketplace': {
    get: {
      tags: ['modules'], summary: 'Public listing of the catalog (no authentication), for the public web site', security: [],
      responses: { 200: { description: 'Catalog', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }) } },
    },
  },
  '/api/v1/shell/modules': {
    get: {
      tags: ['modules'], summary: 'Active modules of the tenant for the frontend shell: menus, translations and the URL of their ES module with its pages',
      responses: { 200: { description: 'Active modules', ...json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object', properties: {
        name: { type: 'string' }, version: { type: 'string' }, label: LABEL, menus: { type: 'array', items: { type: 'object' } },
        frontend: { type: ['object', 'null'], properties: { url: { type: 'string' }, pages: { type: 'array', items: { type: 'object' } } } },
        translations: { type: 'object' },
      } } } } }) }, ...problems(401) },
    },
  },
  '/api/v1/modules/{name}/frontend/{path}': {
    parameters: [NAME, pathParameter('path')],
    get: { tags: ['modules'], summary: 'Files of the built frontend of an active module (its ES module and assets)', responses: { 200: { description: 'File' }, ...problems(401, 404) } },
  },
  '/api/v1/mod/{name}/{path}': {
    parameters: [NAME, pathParameter('path')],
    get: { tags: ['modules'], summary: 'Endpoints of an active module (declared by its routes); 404 when the module is not active in the tenant', responses: { 200: { description: 'Module response' }, ...problems(401, 403, 404, 422) } },
  },
};
