// Serveur MCP (Model Context Protocol) : les outils de l'assistant, générés pour l'utilisateur du jeton, offerts aux
// agents externes (Claude Desktop, IDE…) sur le transport « streamable HTTP », sans session (un serveur par requête).
// Mêmes droits que l'API : le jeton d'accès personnel ou la clé d'API, avec ses portées ; les écritures restent des
// propositions que l'utilisateur confirme dans OpsFlux.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ToolSet } from 'ai';
import type { RequestContext } from '../engine/context.js';
import type { CatalogFor } from '../engine/tenant-work.js';
import { VERSION } from '../core/version.js';
import { assistantTools, type AssistantToolDeps } from './assistant/tools.js';

export interface McpDeps extends AssistantToolDeps {
  catalogFor: CatalogFor;
}

type ToolOutput = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

/** Résultat d'un outil en texte JSON ; une erreur (droits, validation) est rendue au client comme telle. */
async function run(tool: ToolSet[string], input: unknown, id: string): Promise<ToolOutput> {
  try {
    const output: unknown = await tool.execute!(input, { toolCallId: id, messages: [] });
    return { content: [{ type: 'text', text: JSON.stringify(output) }] };
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }] };
  }
}

export class McpEndpoint {
  constructor(private readonly deps: McpDeps) {}

  /** Répond à une requête MCP (JSON-RPC) de l'utilisateur authentifié. */
  async handle(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const catalog = await this.deps.catalogFor(ctx);
    const tools = assistantTools(this.deps, { ctx, catalog, conversationId: null, sink: { cite: () => undefined, proposed: () => undefined, navigate: () => undefined } });
    const server = new McpServer({ name: 'opsflux', version: VERSION });
    let calls = 0;
    for (const [name, tool] of Object.entries(tools)) {
      if (name === 'open_view') continue;
      server.registerTool(name, { description: tool.description, inputSchema: tool.inputSchema as never }, ((input: unknown) => run(tool, input, `mcp-${++calls}`)) as never);
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
