// Pairs d'IA sur la boucle locale, qui parlent le vrai protocole de chaque fournisseur : OpenAI « chat completions »
// en flux SSE (et les serveurs compatibles : Llama via vLLM, llama.cpp…), Anthropic Messages (événements SSE nommés),
// Mistral (morceaux SSE, usage dans le dernier), Ollama (`/api/chat` en NDJSON, une ligne JSON par morceau). Chaque requête reçue est gardée (chemin, en-têtes, corps) ; un
// préfixe peut être mis en panne (500, 429 avec retry-after) pour les tests de repli. Une réponse peut être un appel
// d'outils (`tool_calls` en morceaux chez OpenAI et Mistral, blocs `tool_use` et `input_json_delta` chez Anthropic),
// ou une fonction du corps reçu (scénario en plusieurs étapes : appel d'outil, puis réponse selon son résultat).
// Chaque requête garde aussi ses instants (réception, fin de la réponse) et la taille de son corps ; l'usage annoncé
// est fixe (12 jetons en entrée, 3 en sortie) sauf si `usage` le calcule d'après ce qui a été reçu (banc).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PeerProtocol = 'openai' | 'anthropic' | 'mistral' | 'ollama';

export interface PeerRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
  /** caractères du corps reçu (texte JSON brut) */
  bodyChars: number;
  /** `performance.now()` à l'arrivée de la requête (en-têtes reçus), puis à la fin de la réponse du pair */
  receivedAt: number;
  answeredAt?: number;
}

/** Appels d'outils ; `input` est un objet, ou le texte brut des arguments (JSON invalide compris). */
export interface ToolCallsReply {
  toolCalls: Array<{ name: string; input: unknown }>;
}

/** `malformed` : un flux 200 dont les morceaux ne sont pas du JSON (serveur cassé ou mandataire qui tronque). */
export type Reply = string[] | ToolCallsReply | { status: 500 | 429 | 529 } | 'hang' | 'malformed';
/** Réponse fixe, ou choisie d'après le corps reçu et le rang de l'appel pour ce préfixe (0, 1, …). */
export type Script = Reply | ((body: Record<string, any>, call: number) => Reply);

/** Jetons annoncés par le pair pour une réponse. */
export interface PeerUsage {
  input: number;
  output: number;
}

export interface AiPeersOptions {
  /** usage annoncé d'après le corps reçu et la réponse envoyée ; par défaut fixe (12 / 3) */
  usage?: (body: Record<string, any>, reply: string[] | ToolCallsReply) => PeerUsage;
}

export interface AiPeers {
  port: number;
  /** adresse de base d'un pair : `/<préfixe>/v1` (`/<préfixe>/api` pour Ollama) */
  baseUrl(prefix: string): string;
  requests: PeerRequest[];
  /** réponse du pair pour ce préfixe : les morceaux de texte, une panne, ou rien du tout (`hang`) */
  answer(prefix: string, reply: Script): void;
  close(): Promise<void>;
}

const USAGE: PeerUsage = { input: 12, output: 3 };

const sse = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return (data: unknown, event?: string) => res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
};

const argumentsText = (input: unknown) => (typeof input === 'string' ? input : JSON.stringify(input));

function openAiStream(res: ServerResponse, model: string, reply: string[] | ToolCallsReply, usageInLastChunk: boolean, tokens: PeerUsage = USAGE): void {
  const send = sse(res);
  const chunk = (choices: unknown[], extra: object = {}) => ({ id: 'chatcmpl-peer', object: 'chat.completion.chunk', created: 1_765_000_000, model, choices, ...extra });
  send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  const calls = Array.isArray(reply) ? [] : reply.toolCalls;
  for (const content of Array.isArray(reply) ? reply : []) send(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
  calls.forEach((call, index) => {
    // nom d'abord, arguments en deux morceaux : le client doit les recoller
    const args = argumentsText(call.input);
    const half = Math.floor(args.length / 2);
    send(chunk([{ index: 0, delta: { tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }, finish_reason: null }]));
    for (const part of [args.slice(0, half), args.slice(half)]) send(chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: part } }] }, finish_reason: null }]));
  });
  const finish = calls.length ? 'tool_calls' : 'stop';
  const usage = { prompt_tokens: tokens.input, completion_tokens: tokens.output, total_tokens: tokens.input + tokens.output };
  if (usageInLastChunk) send(chunk([{ index: 0, delta: { content: '' }, finish_reason: finish }], { usage }));
  else {
    send(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
    // demandé par stream_options.include_usage : un dernier morceau sans choix, avec l'usage
    send(chunk([], { usage }));
  }
  send('[DONE]');
  res.end();
}

function anthropicStream(res: ServerResponse, model: string, reply: string[] | ToolCallsReply, tokens: PeerUsage = USAGE): void {
  const send = sse(res);
  send({ type: 'message_start', message: { id: 'msg_peer', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: tokens.input, output_tokens: 1 } } }, 'message_start');
  send({ type: 'ping' }, 'ping');
  if (Array.isArray(reply)) {
    send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
    for (const text of reply) send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta');
    send({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
  } else {
    reply.toolCalls.forEach((call, index) => {
      send({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `toolu_${index}`, name: call.name, input: {} } }, 'content_block_start');
      send({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: argumentsText(call.input) } }, 'content_block_delta');
      send({ type: 'content_block_stop', index }, 'content_block_stop');
    });
  }
  const stop = Array.isArray(reply) ? 'end_turn' : 'tool_use';
  send({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: tokens.output } }, 'message_delta');
  send({ type: 'message_stop' }, 'message_stop');
  res.end();
}

/** Flux NDJSON d'Ollama : texte ou appels d'outils (arguments en objet, d'un seul morceau), puis la ligne `done` avec l'usage. */
function ollamaStream(res: ServerResponse, model: string, reply: string[] | ToolCallsReply, tokens: PeerUsage): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (message: object, extra: object = {}) =>
    res.write(`${JSON.stringify({ model, created_at: '2026-12-07T00:00:00Z', message: { role: 'assistant', content: '', ...message }, done: false, ...extra })}\n`);
  if (Array.isArray(reply)) for (const content of reply) line({ content });
  else line({ tool_calls: reply.toolCalls.map((call) => ({ function: { name: call.name, arguments: call.input } })) });
  line({}, { done: true, done_reason: 'stop', total_duration: 1_000_000, load_duration: 1000, prompt_eval_count: tokens.input, eval_count: tokens.output });
  res.end();
}

function failure(res: ServerResponse, protocol: PeerProtocol, status: 500 | 429 | 529): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 429) headers['retry-after'] = '0';
  res.writeHead(status, headers);
  // Ollama : `{ "error": "…" }`
  if (protocol === 'ollama') return void res.end(JSON.stringify({ error: `peer failure ${status}` }));
  res.end(JSON.stringify(protocol === 'anthropic'
    ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: `peer failure ${status}` } }
    : { error: { message: `peer failure ${status}`, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } }));
}

const protocolOf = (prefix: string): PeerProtocol =>
  (['anthropic', 'mistral', 'ollama'] as const).find((p) => prefix.startsWith(p)) ?? 'openai';

/** Démarre les pairs ; le protocole d'un préfixe suit son nom (`anthropic…`, `mistral…`, `ollama…`, sinon OpenAI). */
export async function startAiPeers(options: AiPeersOptions = {}): Promise<AiPeers> {
  const requests: PeerRequest[] = [];
  const replies = new Map<string, Script>();
  const calls = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const receivedAt = performance.now();
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
      const received: PeerRequest = { path, headers: req.headers, body, bodyChars: raw.length, receivedAt };
      requests.push(received);
      res.on('finish', () => (received.answeredAt = performance.now()));
      const prefix = path.split('/')[1] ?? '';
      const protocol = protocolOf(prefix);
      const expected = { anthropic: `/${prefix}/v1/messages`, ollama: `/${prefix}/api/chat` }[protocol as string] ?? `/${prefix}/v1/chat/completions`;
      if (req.method !== 'POST' || path !== expected) {
        res.writeHead(404).end();
        return;
      }
      const script = replies.get(prefix) ?? ['…'];
      const call = calls.get(prefix) ?? 0;
      calls.set(prefix, call + 1);
      const reply = typeof script === 'function' ? script(body, call) : script;
      if (reply === 'hang') return void hanging.add(res);
      if (reply === 'malformed') {
        sse(res)('{"id":"chatcmpl-peer","choices":[{"delta":{"content":"Deux cl', protocol === 'anthropic' ? 'content_block_delta' : undefined);
        return void res.end();
      }
      if ('status' in reply) return failure(res, protocol, reply.status);
      const model = String(body.model);
      const tokens = options.usage?.(body, reply) ?? USAGE;
      if (protocol === 'ollama') ollamaStream(res, model, reply, tokens);
      else if (protocol === 'anthropic') anthropicStream(res, model, reply, tokens);
      else openAiStream(res, model, reply, protocol === 'mistral', tokens);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    baseUrl: (prefix) => `http://127.0.0.1:${port}/${prefix}/${protocolOf(prefix) === 'ollama' ? 'api' : 'v1'}`,
    answer: (prefix, reply) => {
      replies.set(prefix, reply);
      calls.set(prefix, 0);
    },
    close: () => {
      for (const res of hanging) res.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
