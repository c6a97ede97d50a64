// Serveur MCP avec le client officiel du SDK (`@modelcontextprotocol/sdk`) sur un vrai port : un jeton d'accès
// personnel liste les outils et en appelle un avec les droits de son utilisateur ; les portées du jeton restreignent
// les outils offerts ; une écriture n'est qu'une proposition ; un jeton de session ne suffit pas.
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKit } from '../../support/members.js';
import { client, newTenant, startServer, type Client, type TestServer, type TestTenant } from '../../support/platform.js';

let server: TestServer;
let tenant: TestTenant;
let admin: Client;
let url: URL;
const open: McpClient[] = [];

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  url = new URL(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1/ai/mcp`);
  tenant = await newTenant(server);
  admin = client(server, tenant.token);
  for (const name of ['Bouchons Lyonnais', 'Calanques Marseille']) {
    expect((await admin.post('/api/v1/data/customer', { name })).statusCode).toBe(201);
  }
});
afterAll(async () => {
  for (const c of open) await c.close();
  await server?.close();
});

async function connect(bearer: string): Promise<McpClient> {
  const mcp = new McpClient({ name: 'opsflux-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
  open.push(mcp);
  return mcp;
}

const text = (result: Awaited<ReturnType<McpClient['callTool']>>) => (result.content as Array<{ text: string }>)[0]!.text;

describe('MCP server', () => {
  it('lists the assistant’s tools and runs one with the rights of the token’s user', async () => {
    const kit = memberKit(server, tenant, admin);
    const reader = await kit.member('mcp-reader', [await kit.role('mcp readers', ['customer:read'])]);
    const pat = (await reader.api.post('/api/v1/auth/tokens', { name: 'claude desktop' })).json().token as string;
    const mcp = await connect(pat);
    expect(mcp.getServerVersion()?.name).toBe('opsflux');
    const { tools } = await mcp.listTools();
    // outils du cœur et de l'intelligence locale qu'un lecteur peut employer (aucune écriture, aucune proposition)
    expect(tools.map((t) => t.name).sort()).toEqual([
      'aggregate_records', 'analyse_text', 'describe_entity', 'find_anomalies', 'forecast_series', 'get_record', 'path_between', 'process_map',
      'read_document', 'record_neighbours', 'search_records', 'similar_records',
    ]);
    const search = tools.find((t) => t.name === 'search_records')!;
    expect((search.inputSchema.properties as any).entity.enum).toEqual(['customer']);
    // sans consignes côté MCP, un agent apprend les champs d'une entité par describe_entity
    const described = await mcp.callTool({ name: 'describe_entity', arguments: { entity: 'customer' } });
    expect(described.isError).toBeFalsy();
    expect(JSON.parse(text(described))).toMatchObject({ entity: 'customer', can: ['read'], fields: { name: expect.stringContaining('string') } });

    const found = await mcp.callTool({ name: 'search_records', arguments: { entity: 'customer', q: 'Lyon' } });
    expect(found.isError).toBeFalsy();
    expect(JSON.parse(text(found))).toMatchObject({ total: 1, records: [{ name: 'Bouchons Lyonnais' }] });
    // hors de ses droits : une erreur claire, pas de données
    const refused = await mcp.callTool({ name: 'search_records', arguments: { entity: 'supplier' } });
    expect(refused.isError).toBe(true);
    // les autres outils prennent un nom d'entité libre, vérifié contre ses droits à l'exécution
    for (const name of ['describe_entity', 'aggregate_records'] as const) {
      const other = await mcp.callTool({ name, arguments: { entity: 'supplier', measures: [{ fn: 'count' }] } });
      expect(other.isError, name).toBe(true);
      expect(text(other), name).toMatch(/403 forbidden/);
    }
  });

  it('offers only what the token’s scopes cover, and writes only as proposals', async () => {
    const scoped = (await admin.post('/api/v1/auth/tokens', { name: 'agent', scopes: ['customer:read', 'customer:delete'] })).json().token as string;
    const mcp = await connect(scoped);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toContain('propose_change');
    expect((tools.find((t) => t.name === 'propose_change')!.inputSchema.properties as any).entity.enum).toEqual(['customer']);
    const target = (await admin.get('/api/v1/data/customer?q=Marseille')).json().data[0].id as string;
    const proposed = await mcp.callTool({ name: 'propose_change', arguments: { action: 'delete', entity: 'customer', id: target } });
    expect(JSON.parse(text(proposed))).toMatchObject({ status: 'awaiting_user_confirmation' });
    expect((await admin.get(`/api/v1/data/customer/${target}`)).statusCode).toBe(200);
    const pending = (await admin.get('/api/v1/ai/proposals')).json().data;
    expect(pending[0]).toMatchObject({ action: 'delete', recordId: target, status: 'pending', conversationId: null });

    // un outil écarté par le tenant n'est ni listé ni appelable
    expect((await admin.put('/api/v1/settings/ai.assistantDisabledTools', { value: ['propose_change'], level: 'tenant' })).statusCode).toBe(200);
    try {
      const narrowed = await connect(scoped);
      expect((await narrowed.listTools()).tools.map((t) => t.name)).not.toContain('propose_change');
      const refused = await narrowed.callTool({ name: 'propose_change', arguments: { action: 'delete', entity: 'customer', id: target } });
      expect(refused.isError).toBe(true);
    } finally {
      await admin.put('/api/v1/settings/ai.assistantDisabledTools', { value: [], level: 'tenant' });
    }
  });

  it('refuses a session token and has no stream to open', async () => {
    const res = await fetch(url, {
      method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('token_required');
    const stream = await fetch(url, { headers: { authorization: `Bearer ${tenant.token}`, accept: 'text/event-stream' } });
    expect(stream.status).toBe(405);
  });
});
