// Génération des chemins OpenAPI à partir des schémas déclarés par les routes elles-mêmes.
import type { FastifyInstance } from 'fastify';
import type { EntityModel } from '../../engine/model.js';
import { problems, type Doc } from './path-helpers.js';
import type { AnyRouteSchema, EntityRouteSchema, RouteSchema } from './route-schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** routes relevées à l'enregistrement, source du document OpenAPI */
    apiRoutes: CollectedRoute[];
  }
}

export interface CollectedRoute {
  method: string;
  url: string;
  schema: Partial<AnyRouteSchema> | undefined;
}

const DOCUMENTED_METHODS = new Set(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']);

/** Relève chaque route enregistrée (à installer avant les routes) ; HEAD, ajouté par Fastify, n'est pas une opération. */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (DOCUMENTED_METHODS.has(method)) routes.push({ method, url: route.url, schema: route.schema as Partial<AnyRouteSchema> | undefined });
    }
  });
  return routes;
}

export const isHidden = (route: CollectedRoute): boolean => route.schema !== undefined && 'hide' in route.schema && route.schema.hide === true;
export const isEntityRoute = (route: CollectedRoute): boolean => typeof (route.schema as Partial<EntityRouteSchema> | undefined)?.entityOperation === 'function';
const isDescribed = (route: CollectedRoute): boolean => typeof (route.schema as Partial<RouteSchema> | undefined)?.operationId === 'string';

/** Routes sans description : ni opération, ni route d'entité, ni route cachée (le test de l'API les refuse). */
export function undescribedRoutes(routes: CollectedRoute[]): string[] {
  return routes.filter((r) => !isHidden(r) && !isEntityRoute(r) && !isDescribed(r)).map((r) => `${r.method} ${r.url}`);
}

/** `/api/v1/files/:id` → `/api/v1/files/{id}` ; `*` (reste du chemin) → `{path}`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}');

function parametersOf(where: 'path' | 'query' | 'header', schema: unknown): Doc[] {
  const object = schema as { properties?: Record<string, Doc>; required?: string[] } | undefined;
  if (!object?.properties) return [];
  return Object.entries(object.properties).map(([name, property]) => {
    const { description, ...rest } = property as Doc & { description?: string };
    return { name, in: where, ...(where === 'path' || object.required?.includes(name) ? { required: true } : {}), ...(description ? { description } : {}), schema: rest };
  });
}

/** Réponses d'erreur communes : 401 et 403 sur les routes authentifiées, 429 partout (limite de débit). */
function commonProblems(schema: { security?: Doc[] }, responses: Doc): Doc {
  const open = Array.isArray(schema.security) && schema.security.length === 0;
  const codes = [...(open ? [] : [401, 403]), 429].filter((code) => !(String(code) in responses));
  return problems(...codes);
}

const withCommonProblems = (operation: Doc): Doc => ({ ...(operation.responses as Doc), ...commonProblems(operation, operation.responses as Doc) });

function operationOf(method: string, url: string, schema: RouteSchema): Doc {
  const { operationId, summary, description, tags, security, parameters = [], requestBody, responses } = schema;
  const params = [
    ...parametersOf('path', schema.params),
    ...parametersOf('query', schema.querystring),
    ...parametersOf('header', schema.headers),
    ...parameters,
  ];
  const pathNames = [...url.matchAll(/:([A-Za-z0-9_]+)|\*$/g)].map((m) => m[1] ?? 'path');
  for (const name of pathNames) {
    if (!params.some((p) => p.in === 'path' && p.name === name)) params.unshift({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  const body = requestBody ?? (schema.body ? { required: true, content: { 'application/json': { schema: schema.body } } } : undefined);
  return {
    tags, operationId, summary,
    ...(description ? { description } : {}),
    ...(security ? { security } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(body && method !== 'GET' ? { requestBody: body } : {}),
    responses: { ...responses, ...commonProblems(schema, responses) },
  };
}

/** Chemins du document : routes fixes, puis routes d'entité dépliées pour chaque modèle du catalogue. */
export function routePaths(routes: CollectedRoute[], models: EntityModel[]): Record<string, Doc> {
  const paths: Record<string, Doc> = {};
  const add = (path: string, method: string, operation: Doc) => {
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
  };
  for (const route of routes) {
    if (isHidden(route)) continue;
    if (isEntityRoute(route)) {
      const build = (route.schema as EntityRouteSchema).entityOperation;
      for (const model of models) {
        const operation = build(model);
        if (operation) add(openApiPath(route.url.replace(':entity', model.name)), route.method, { ...operation, responses: withCommonProblems(operation) });
      }
    } else if (isDescribed(route)) {
      add(openApiPath(route.url), route.method, operationOf(route.method, route.url, route.schema as RouteSchema));
    }
  }
  return paths;
}
