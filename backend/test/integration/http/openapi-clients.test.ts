// Le document sert de vrais clients : lint Redocly (règles recommandées) sans erreur ni avertissement, et client généré
// par openapi-typescript compatible avec les types du SDK.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lintOpenApi } from '../../support/api-contract/lint.js';
import { sdkTypeErrors } from '../../support/api-contract/sdk-types.js';
import { client, newTenant, startServer, type TestServer } from '../../support/platform.js';

let server: TestServer;
let document: object;
beforeAll(async () => {
  server = await startServer();
  document = (await client(server, (await newTenant(server)).token).get('/api/openapi.json')).json();
});
afterAll(async () => server?.close());

it('passes the Redocly recommended rules', async () => {
  expect(await lintOpenApi(document)).toEqual([]);
});

it('generates a client whose types the SDK agrees with', async () => {
  expect(await sdkTypeErrors(document)).toEqual([]);
}, 60_000); // compilation TypeScript du client généré
