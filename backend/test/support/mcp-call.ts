// Client MCP de test : se connecte au serveur (écoute sur un port local au besoin) avec un jeton d'accès personnel
// de l'utilisateur, liste les outils et en appelle un ; le texte de la réponse est décodé en JSON.
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import type { Client, TestServer } from './platform.js';

export async function mcpAs(server: TestServer, api: Client) {
  if (!server.app.server.listening) await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const pat = (await api.post('/api/v1/auth/tokens', { name: `mcp test ${Date.now()}` })).json().token as string;
  const mcp = new McpClient({ name: 'opsflux-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/api/v1/ai/mcp`), { requestInit: { headers: { authorization: `Bearer ${pat}` } } }));
  return {
    tools: async () => (await mcp.listTools()).tools.map((t) => t.name),
    call: async (name: string, args: Record<string, unknown>) => {
      const result = await mcp.callTool({ name, arguments: args });
      const text = (result.content as Array<{ text: string }>)[0]!.text;
      return { isError: Boolean(result.isError), text, json: () => JSON.parse(text) as Record<string, unknown> };
    },
    close: () => mcp.close(),
  };
}
