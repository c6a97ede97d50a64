// Opérations d'un document OpenAPI 3.1 (celui que sert /api/openapi.json) : méthode, gabarit de chemin, paramètres,
// corps par type de média et réponses déclarées, références `$ref` résolues.

export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `METHOD /gabarit` : identifiant stable, utilisé pour la graine et les rapports */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  parameters: Parameter[];
  /** corps : schéma par type de média (absent si l'opération n'en prend pas) */
  body?: { required: boolean; media: Record<string, Schema> };
  /** statut → types de média déclarés ('' : réponse sans contenu décrit) */
  responses: Record<string, string[]>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operationsOf(document: Schema): Operation[] {
  const resolve = schemaResolver(document);
  const parameter = (raw: Schema): Parameter => {
    const p = resolve(raw);
    return { name: p.name, in: p.in, required: Boolean(p.required), schema: resolve(p.schema) };
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Schema>(document.paths ?? {})) {
    const shared = (item.parameters ?? []).map(parameter);
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const own = (op.parameters ?? []).map(parameter);
      const parameters = [...shared.filter((s: Parameter) => !own.some((o: Parameter) => o.name === s.name && o.in === s.in)), ...own];
      const requestBody = op.requestBody ? resolve(op.requestBody) : undefined;
      const body = requestBody?.content
        ? { required: Boolean(requestBody.required), media: Object.fromEntries(Object.entries<Schema>(requestBody.content).map(([type, c]) => [type, resolve(c.schema)])) }
        : undefined;
      const responses = Object.fromEntries(Object.entries<Schema>(op.responses ?? {}).map(([status, r]) => [status, Object.keys(resolve(r).content ?? {})]));
      operations.push({ key: `${method.toUpperCase()} ${template}`, method: method.toUpperCase() as Operation['method'], template, parameters, body, responses });
    }
  }
  return operations;
}

/** Résolveur de `$ref` pour les schémas imbriqués (corps, propriétés). */
export function schemaResolver(document: Schema): (schema: Schema | undefined) => Schema {
  return (schema) => {
    let current = schema ?? {};
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops += 1) {
      current = current.$ref.slice(2).split('/').reduce((node: Schema, part: string) => node?.[part], document) ?? {};
    }
    return current;
  };
}
