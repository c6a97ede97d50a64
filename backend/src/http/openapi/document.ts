// Document OpenAPI 3.1 d'un tenant : les schémas déclarés par les routes + un jeu de chemins par entité de son catalogue.
import { VERSION } from '../../core/version.js';
import type { Catalog } from '../../engine/registry.js';
import { componentName, inputSchema, recordSchema } from './schemas.js';
import { PROBLEM_STATUSES, sharedSchemas } from './shared-schemas.js';
import { routePaths, type CollectedRoute } from './route-paths.js';
import { TAG_DESCRIPTIONS } from './tags.js';

type Doc = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Tags réellement employés par les opérations, chacun avec sa description. */
function usedTags(paths: Record<string, Doc>, entityLabels: Map<string, string>): { name: string; description?: string }[] {
  const names = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) for (const tag of (operation as { tags?: string[] }).tags ?? []) names.add(tag);
  }
  return [...names].map((name) => ({ name, description: entityLabels.get(name) ?? TAG_DESCRIPTIONS[name] }));
}

export function buildDocument(catalog: Catalog | undefined, routes: CollectedRoute[]): Doc {
  const models = catalog?.all() ?? [];
  const schemas: Record<string, Doc> = { ...sharedSchemas };
  const paths = routePaths(routes, models) as Record<string, Doc>;
  for (const model of models) {
    const name = componentName(model.name);
    schemas[name] = recordSchema(model);
    // un modèle abstrait ne se crée pas : pas de corps de création à décrire
    if (!model.abstract) schemas[`${name}Input`] = inputSchema(model, false);
    schemas[`${name}Patch`] = inputSchema(model, true);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpsFlux API', version: VERSION, description: 'Generated from the entity metadata of your tenant, custom entities and fields included.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: usedTags(paths, new Map(models.map((m) => [m.name, m.label.en]))),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
      responses: Object.fromEntries(PROBLEM_STATUSES.map((s) => [`Problem${s}`, { description: `Problem (${s})`, content: { 'application/problem+json': { schema: ref('Problem') } } }])),
    },
  };
}
