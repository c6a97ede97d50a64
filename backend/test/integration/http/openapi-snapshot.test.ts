// Instantané du contrat décrit par /api/openapi.json (chemins, méthodes, paramètres, corps, réponses de succès) :
// pris avant que les schémas de routes ne deviennent la source du document, il prouve que la description ne change pas
// sans qu'on le voie. Les résumés, identifiants d'opération et réponses d'erreur n'y sont pas : on les enrichit.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, newTenant, startServer, type TestServer } from '../../support/platform.js';

type Doc = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

/** Forme comparable d'une opération : ce qu'un client envoie et ce qu'il reçoit quand tout va bien. */
function contract(pathItem: Doc, operation: Doc): Doc {
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]
    .map((p: Doc) => ({ in: p.in, name: p.name, required: p.required ?? false, schema: p.schema }))
    .sort((a, b) => `${a.in}:${a.name}`.localeCompare(`${b.in}:${b.name}`));
  const success = Object.fromEntries(Object.entries(operation.responses ?? {})
    .filter(([status]) => status.startsWith('2') || status.startsWith('3'))
    .map(([status, response]: [string, any]) => [status, response.content ?? null]));
  return { parameters, body: operation.requestBody?.content ?? null, bodyRequired: operation.requestBody?.required ?? false, success };
}

it('describes the same operations, inputs and successful outputs as before the route-schema refactor', async () => {
  const doc: Doc = (await client(server, (await newTenant(server)).token).get('/api/openapi.json')).json();
  const operations: Doc = {};
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path];
    for (const method of METHODS) if (item[method]) operations[`${method.toUpperCase()} ${path}`] = contract(item, item[method]);
  }
  const schemas = Object.fromEntries(Object.keys(doc.components.schemas).sort().map((name) => [name, doc.components.schemas[name]]));
  await expect(JSON.stringify({ operations, schemas }, null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/openapi-contract.json');
});
