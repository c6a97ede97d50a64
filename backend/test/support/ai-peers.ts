// Pairs d'IA sur la boucle locale, qui parlent le vrai protocole de chaque fournisseur : OpenAI « chat completions »
// en flux SSE (et les serveurs compatibles : Llama via vLLM, llama.cpp…), Anthropic Messages (événements SSE nommés),
// Mistral (morceaux SSE, usage dans le dernier). Chaque requête reçue est gardée (chemin, en-têtes, corps) ; un
// préfixe peut être mis en panne (500, 429 avec retry-after) pour les tests de repli.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PeerProtocol = 'openai' | 'anthropic' | 'mistral';

export interface PeerRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

type Reply = string[] | { status: 500 | 429 | 529 } | 'hang';

export interface AiPeers {
  port: number;
  /** adresse de base d'un pair : `/<préfixe>/v1` */
  baseUrl(prefix: string): string;
  requests: PeerRequest[];
  /** réponse du pair pour ce préfixe : les morceaux de texte, une panne, ou rien du tout (`hang`) */
  answer(prefix: string, reply: Reply): void;
  close(): Promise<void>;
}

const USAGE = { input: 12, output: 3 };

const sse = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return (data: unknown, event?: string) => res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
};

function openAiStream(res: ServerResponse, model: string, parts: string[], usageInLastChunk: boolean): void {
  const send = sse(res);
  const chunk = (choices: unknown[], extra: object = {}) => ({ id: 'chatcmpl-peer', object: 'chat.completion.chunk', created: 1_765_000_000, model, choices, ...extra });
  send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  for (const content of parts) send(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
  if (usageInLastChunk) send(chunk([{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], { usage }));
  else {
    send(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
    // demandé par stream_options.include_usage : un dernier morceau sans choix, avec l'usage
    send(chunk([], { usage }));
  }
  send('[DONE]');
  res.end();
}

function anthropicStream(res: ServerResponse, model: string, parts: string[]): void {
  const send = sse(res);
  send({ type: 'message_start', message: { id: 'msg_peer', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: USAGE.input, output_tokens: 1 } } }, 'message_start');
  send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
  send({ type: 'ping' }, 'ping');
  for (const text of parts) send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta');
  send({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
  send({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: USAGE.output } }, 'message_delta');
  send({ type: 'message_stop' }, 'message_stop');
  res.end();
}

function failure(res: ServerResponse, protocol: PeerProtocol, status: 500 | 429 | 529): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 429) headers['retry-after'] = '0';
  res.writeHead(status, headers);
  res.end(JSON.stringify(protocol === 'anthropic'
    ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: `peer failure ${status}` } }
    : { error: { message: `peer failure ${status}`, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } }));
}

/** Démarre les pairs ; le protocole d'un préfixe suit son nom (`anthropic…`, `mistral…`, sinon OpenAI). */
export async function startAiPeers(): Promise<AiPeers> {
  const requests: PeerRequest[] = [];
  const replies = new Map<string, Reply>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
      requests.push({ path, headers: req.headers, body });
      const prefix = path.split('/')[1] ?? '';
      const protocol: PeerProtocol = prefix.startsWith('anthropic') ? 'anthropic' : prefix.startsWith('mistral') ? 'mistral' : 'openai';
      const expected = protocol === 'anthropic' ? `/${prefix}/v1/messages` : `/${prefix}/v1/chat/completions`;
      if (req.method !== 'POST' || path !== expected) {
        res.writeHead(404).end();
        return;
      }
      const reply = replies.get(prefix) ?? ['…'];
      if (reply === 'hang') return void hanging.add(res);
      if (!Array.isArray(reply)) return failure(res, protocol, reply.status);
      const model = String(body.model);
      if (protocol === 'anthropic') anthropicStream(res, model, reply);
      else openAiStream(res, model, reply, protocol === 'mistral');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    baseUrl: (prefix) => `http://127.0.0.1:${port}/${prefix}/v1`,
    answer: (prefix, reply) => void replies.set(prefix, reply),
    close: () => {
      for (const res of hanging) res.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
