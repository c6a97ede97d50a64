// Serveur MCP (Model Context Protocol) : les outils de l'assistant, générés pour l'utilisateur du jeton, offerts aux
// agents externes (Claude Desktop, IDE…) sur le transport « streamable HTTP », sans session (un serveur par requête).
// Mêmes droits que l'API : le jeton d'accès personnel ou la clé d'API, avec ses portées ; les écritures restent des
// propositions que l'utilisateur confirme dans OpsFlux. Serveur de bas niveau : les schémas des outils sont donnés
// en JSON Schema (ceux du cœur viennent de zod, ceux des modules sont déjà en JSON Schema) et validés avant l'appel.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { asSchema, type ToolSet } from 'ai';
import type { RequestContext } from '../engine/context.js';
import type { CatalogFor } from '../engine/tenant-work.js';
import { VERSION } from '../core/version.js';
import type { Settings } from '../config/settings.js';
import { assistantTools, offeredTools, type AssistantToolDeps } from './assistant/tools.js';

export interface McpDeps extends AssistantToolDeps {
  catalogFor: CatalogFor;
  settings: Pick<Settings, 'value'>;
}

type ToolOutput = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const failure = (text: string): ToolOutput => ({ isError: true, content: [{ type: 'text', text }] });

/** Arguments validés par le schéma de l'outil, puis exécution ; toute erreur (droits, validation) est rendue au client. */
async function run(tool: ToolSet[string], input: unknown, id: string): Promise<ToolOutput> {
  const checked = await asSchema(tool.inputSchema).validate?.(input);
  if (checked && !checked.success) return failure(`Invalid arguments: ${checked.error.message}`);
  try {
    const output: unknown = await tool.execute!(checked ? checked.value : input, { toolCallId: id, messages: [] });
    return { content: [{ type: 'text', text: JSON.stringify(output) }] };
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error));
  }
}

export class McpEndpoint {
  constructor(private readonly deps: McpDeps) {}

  /** Répond à une requête MCP (JSON-RPC) de l'utilisateur authentifié. */
  async handle(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const catalog = await this.deps.catalogFor(ctx);
    const all = await offeredTools(
      assistantTools(this.deps, { ctx, catalog, conversationId: null, sink: { cite: () => undefined, proposed: () => undefined, navigate: () => undefined } }),
      this.deps.settings, ctx.tenantId,
    );
    // ouvrir une vue n'a de sens que dans l'application
    const tools = Object.fromEntries(Object.entries(all).filter(([name]) => name !== 'open_view'));
    const server = new Server({ name: 'opsflux', version: VERSION }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: await Promise.all(Object.entries(tools).map(async ([name, tool]) => ({
        name, description: tool.description, inputSchema: (await asSchema(tool.inputSchema).jsonSchema) as { type: 'object' },
      }))),
    }));
    let calls = 0;
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const tool = tools[request.params.name];
      if (!tool) return failure(`Unknown tool ${request.params.name}`);
      return run(tool, request.params.arguments ?? {}, `mcp-${++calls}`);
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
