// Schéma d'une route : les clés que Fastify valide (params, querystring, headers, body) et la description OpenAPI de
// l'opération, déclarés ensemble à côté du gestionnaire. Le document OpenAPI est généré à partir de ces schémas
// (route-paths.ts) ; aucune route de l'API n'en est dispensée (test « every route has a schema »).
import type { FastifySchema } from 'fastify';
import type { EntityModel } from '../../engine/model.js';
import type { Doc } from './path-helpers.js';

export interface RouteSchema extends FastifySchema {
  /** identifiant stable de l'opération, utilisé par les générateurs de clients */
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `[]` : route publique (ni 401 ni 403 documentés) */
  security?: Doc[];
  /** paramètres documentés que le gestionnaire lit lui-même (en-têtes, requêtes validées par le domaine) */
  parameters?: Doc[];
  /** corps documenté que le gestionnaire valide lui-même (messages par champ, en français et en anglais) */
  requestBody?: Doc;
  /** réponses documentées ; 401, 403 et 429 sont ajoutées d'après `security` */
  responses: Doc;
}

/** Route générique d'entité (`/api/v1/data/:entity/…`) : une opération par entité du catalogue, ou aucune. */
export interface EntityRouteSchema extends FastifySchema {
  entityOperation: (model: EntityModel) => Doc | undefined;
}

/** Route hors de l'API décrite (fichiers de l'application, ressources de Swagger UI). */
export interface HiddenRouteSchema extends FastifySchema {
  hide: true;
}

export type AnyRouteSchema = RouteSchema | EntityRouteSchema | HiddenRouteSchema;

/** Aide au typage : un schéma de route vérifié à la compilation, inchangé à l'exécution. */
export const routeSchema = <S extends RouteSchema>(schema: S): S & FastifySchema => schema;

/** Route servie hors de l'API décrite. */
export const hiddenRoute: HiddenRouteSchema = { hide: true };

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** Identifiant validé par le motif (plus strict que le format `uuid` d'ajv, qui admet le préfixe `urn:uuid:`). */
export const uuidString = { type: 'string', format: 'uuid', pattern: UUID_PATTERN } as const;

/** Paramètres de chemin qui sont tous des identifiants. */
export const uuidParams = (...names: string[]) =>
  ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, uuidString])), required: names }) as const;
