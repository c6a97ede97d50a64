import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undescribedRoutes } from '../../../src/http/openapi/route-paths.js';
import { client, newTenant, startServer, type Client, type TestServer } from '../../support/platform.js';

let server: TestServer;
let api: Client;
let other: Client;

beforeAll(async () => {
  server = await startServer();
  api = client(server, (await newTenant(server)).token);
  other = client(server, (await newTenant(server)).token);
});
afterAll(async () => server?.close());

async function valid(document: object): Promise<void> {
  const result = await validate(structuredClone(document) as never);
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
}

describe('OpenAPI document', () => {
  it('requires authentication for the document and the UI', async () => {
    const anonymous = client(server);
    expect((await anonymous.get('/api/openapi.json')).statusCode).toBe(401);
    expect((await anonymous.get('/api/docs')).statusCode).toBe(401);
  });

  it('serves the document and the UI to anyone once the platform setting api.docs.public is true', async () => {
    const anonymous = client(server);
    expect((await api.put('/api/v1/settings/api.docs.public', { value: true })).statusCode).toBe(200);
    try {
      expect((await anonymous.get('/api/openapi.json')).statusCode).toBe(200);
      expect((await anonymous.get('/api/docs')).statusCode).toBe(200);
    } finally {
      expect((await api.delete('/api/v1/settings/api.docs.public?level=platform')).statusCode).toBe(204);
    }
    expect((await anonymous.get('/api/openapi.json')).statusCode).toBe(401);
  });

  it('is a valid OpenAPI 3.1 document describing the core entities', async () => {
    const res = await api.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    await valid(doc);
    expect(doc.paths['/api/v1/data/user']).toBeDefined();
    expect(doc.paths['/api/v1/data/user/{id}'].patch).toBeDefined();
    expect(doc.components.schemas.User.properties.email.format).toBe('email');
    expect(JSON.stringify(doc)).not.toContain('passwordHash');
    expect(doc.paths['/api/v1/modules/{name}/install'].post.responses['409']).toBeDefined();
    expect(doc.paths['/api/v1/modules/upload'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(doc.paths['/api/v1/currencies/convert'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['amount', 'from', 'to', 'date']);
    expect(doc.paths['/api/v1/data/customer'].post).toBeDefined();
  });

  it('is generated from route schemas: every route of the API declares one', () => {
    expect(undescribedRoutes(server.app.apiRoutes)).toEqual([]);
  });

  it('gives every operation a unique operationId, a summary, and the 401/403/429 problems it can answer', async () => {
    const doc = (await api.get('/api/openapi.json')).json();
    const ids = new Map<string, string>();
    const faults: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
        const operation = item[method];
        if (!operation) continue;
        const where = `${method.toUpperCase()} ${path}`;
        if (!operation.operationId) faults.push(`${where}: no operationId`);
        else if (ids.has(operation.operationId)) faults.push(`${where}: operationId ${operation.operationId} already used by ${ids.get(operation.operationId)}`);
        else ids.set(operation.operationId, where);
        if (!operation.summary) faults.push(`${where}: no summary`);
        const open = Array.isArray(operation.security) && operation.security.length === 0;
        for (const status of [...(open ? [] : ['401', '403']), '429']) {
          if (!operation.responses?.[status]) faults.push(`${where}: ${status} not documented`);
        }
      }
    }
    expect(faults).toEqual([]);
    expect(ids.size).toBeGreaterThan(400);
  });

  it('shows a custom entity and a custom field at once, to their tenant only', async () => {
    expect((await api.post('/api/v1/meta/entities', {
      name: 'project', label: { en: 'Project', fr: 'Projet' },
      fields: { title: { type: 'string', required: true }, budget: { type: 'money' } },
    })).statusCode).toBe(201);
    let doc = (await api.get('/api/openapi.json')).json();
    expect(doc.paths['/api/v1/data/project']).toBeDefined();
    expect(doc.components.schemas.ProjectInput.required).toEqual(['title']);
    expect(doc.components.schemas.Project.properties.budget.properties.currency).toBeDefined();
    expect((await api.post('/api/v1/meta/entities/project/fields', { name: 'priority', type: 'enum', options: { values: ['low', 'high'] } })).statusCode).toBe(201);
    doc = (await api.get('/api/openapi.json')).json();
    expect(doc.components.schemas.Project.properties.priority.enum).toEqual(['low', 'high']);
    await valid(doc);
    const theirs = (await other.get('/api/openapi.json')).json();
    expect(theirs.paths['/api/v1/data/project']).toBeUndefined();
  });

  it('serves Swagger UI from the package when authenticated', async () => {
    const page = await api.get('/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/openapi.json');
    expect(page.body).not.toMatch(/https?:\/\//);
    const bundle = await client(server).get('/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body).toContain('SwaggerUIBundle');
    expect((await client(server).get('/api/docs/assets/..%2Fpackage.json')).statusCode).toBe(404);
  });
});
