// Banc de l'assistant (scénario `ai`) : le vrai chemin POST /api/v1/ai/chat (flux SSE lu par un client `fetch`) face à
// un pair d'IA sur la boucle locale qui répond aussitôt (backend/test/support/ai-peers.ts, protocole OpenAI ou
// Anthropic, appels d'outils scriptés). Le serveur tourne dans son propre processus (ce même fichier, lancé avec
// OPSFLUX_BENCH_AI_SERVER) : dans un seul processus, le client ne lirait le flux que quand la boucle d'événements du
// serveur le laisse faire. Client et pair partagent le processus du banc, donc la même horloge. Deux mesures :
// 1. latence ajoutée par l'assistant : de l'événement `tool-call` à `tool-result` vus par le client, l'étape d'outil
//    vue du pair (fin de sa 1re réponse → 2e requête), et la question entière moins le temps passé dans le pair, pour
//    search_records (clients d'une table de 10 000 lignes), get_record et aggregate_records ; médiane et p95 sur N
//    questions chacun. Sur PGlite, `tool-call` et `tool-result` arrivent dans le même paquet (la socket de la réponse
//    reste « bouchée » jusqu'au prochain tick, et les requêtes PGlite, dans le processus, ne rendent pas la main à la
//    boucle) : l'écart lu par le client y vaut 0 et seule l'étape vue du pair compte ;
// 2. jetons par question : le pair ne sait pas compter, il ESTIME les jetons d'entrée d'après ce qu'il a reçu
//    (caractères du JSON des messages + outils (+ consignes chez Anthropic) / 4) et les annonce comme usage ; le banc
//    décompose chaque étape (consignes, définitions des outils, conversation, résultats d'outils).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Platform } from '../backend/src/core/platform.js';
import { companyName, CITIES, pick, seededRandom } from '../backend/src/demo/generators.js';
import { buildApp } from '../backend/src/http/app.js';
import { createUser } from '../backend/src/iam/bootstrap.js';
import { startAiPeers, type AiPeers, type PeerRequest, type ToolCallsReply } from '../backend/test/support/ai-peers.js';

export interface Spread {
  p50: number;
  p95: number;
}

export interface AiToolLatency {
  tool: string;
  questions: number;
  /** de `tool-call` à `tool-result`, vus par le client (0 sur PGlite : les deux arrivent ensemble) */
  toolMs: Spread;
  /** question entière (envoi → fin du flux) */
  totalMs: Spread;
  /** temps passé dans le pair (réception de la requête → fin de sa réponse), toutes étapes */
  peerMs: Spread;
  /** question entière moins le temps du pair : ce qu'ajoute OpsFlux */
  addedMs: Spread;
  /** de la fin de la 1re réponse du pair à l'arrivée de la 2e requête : l'étape d'outil entière vue du modèle */
  betweenCallsMs: Spread;
  /** médianes des segments : avant le 1er appel au modèle, du résultat d'outil au 2e appel, après la réponse finale */
  segments: { beforeFirstCallMs: number; modelToToolCallMs: number; toolResultToNextCallMs: number; afterAnswerMs: number };
}

export interface AiStep {
  /** caractères JSON de chaque partie du corps reçu par le pair */
  systemChars: number;
  toolsChars: number;
  /** questions, réponses et appels d'outils (historique compris) */
  conversationChars: number;
  toolResultChars: number;
  /** corps entier reçu (modèle, options de flux… compris) */
  bodyChars: number;
  /** estimation : (messages + outils + consignes) / 4 */
  inputTokens: number;
}

export interface AiTokenScenario {
  scenario: string;
  protocol: 'openai' | 'anthropic';
  user: string;
  steps: AiStep[];
  inputTokens: number;
  /** somme annoncée par le serveur dans l'événement `done` (le pair annonce la même estimation) : contrôle du chemin */
  doneInputTokens: number;
}

export interface AiPromptSize {
  user: string;
  protocol: 'openai' | 'anthropic';
  entities: number;
  /** texte des consignes (la chaîne elle-même) */
  systemPromptChars: number;
  /** JSON des définitions d'outils envoyées */
  toolsChars: number;
  perTool: Record<string, number>;
  /** liste des entités (`enum` du paramètre `entity`) répétée dans les outils : caractères cumulés, nombre de copies */
  entityEnumChars: number;
  entityEnumCopies: number;
}

export interface AiBenchResult {
  backend: string;
  customers: number;
  seedSeconds: number;
  latency: AiToolLatency[];
  tokens: AiTokenScenario[];
  prompt: AiPromptSize[];
  note: string;
}

const ESTIMATE_NOTE = 'tokens are an ESTIMATE: characters of the JSON messages + tools (+ system for Anthropic) received by the peer / 4';

/** Jetons d'entrée estimés d'après le corps reçu : JSON des messages, des outils et (Anthropic) des consignes, / 4. */
export function estimateInputTokens(body: Record<string, any>): number {
  const chars = JSON.stringify(body.messages ?? []).length + JSON.stringify(body.tools ?? []).length
    + (body.system === undefined ? 0 : JSON.stringify(body.system).length);
  return Math.ceil(chars / 4);
}

const estimateOutputTokens = (reply: string[] | ToolCallsReply) =>
  Math.ceil((Array.isArray(reply) ? reply.join('') : JSON.stringify(reply.toolCalls)).length / 4);

// ——— scripts du pair : un appel d'outil, puis une réponse d'après son résultat ———

type Protocol = 'openai' | 'anthropic';
const PREFIX: Record<Protocol, string> = { openai: 'gpt', anthropic: 'anthropic' };

/** Résultat d'outil du dernier message reçu (OpenAI : rôle `tool` ; Anthropic : bloc `tool_result`), sinon null. */
function lastToolOutput(body: Record<string, any>): any {
  const last = body.messages.at(-1);
  if (last?.role === 'tool') return JSON.parse(String(last.content));
  if (last?.role === 'user' && Array.isArray(last.content)) {
    const result = last.content.find((c: any) => c.type === 'tool_result');
    if (result) return JSON.parse(typeof result.content === 'string' ? result.content : result.content[0].text);
  }
  return null;
}

/** Valeur d'un résultat d'outil (le SDK peut l'envelopper en `{ type: 'json', value }`). */
const unwrap = (output: any) => (output && typeof output === 'object' && output.type === 'json' && 'value' in output ? output.value : output);

type PeerScript = (body: Record<string, any>) => string[] | ToolCallsReply;

const SCRIPTS = {
  /** « les clients de Lyon » : une recherche, puis la liste avec des liens */
  search: (): PeerScript => (body) => {
    const output = unwrap(lastToolOutput(body));
    if (!output) return { toolCalls: [{ name: 'search_records', input: { entity: 'customer', q: 'Lyon' } }] };
    const rows = output.records as Array<{ id: string; name: string }>;
    return [`${output.total} clients à Lyon ; les ${rows.length} premiers : `, rows.map((r) => `[${r.name}](/data/customer/${r.id})`).join(', ')];
  },
  /** une agrégation : nombre de clients et délai de paiement moyen par catégorie (jointure sur `category.name`) */
  aggregate: (): PeerScript => (body) => {
    const output = unwrap(lastToolOutput(body));
    if (!output) {
      return { toolCalls: [{ name: 'aggregate_records', input: { entity: 'customer', measures: [{ fn: 'count' }, { fn: 'avg', field: 'paymentTermDays' }], groupBy: ['category.name'] } }] };
    }
    const groups = output.groups as Array<{ keys: Record<string, unknown>; values: Record<string, unknown> }>;
    return ['Clients par catégorie : ', groups.map((g) => `${String(g.keys['category.name'])} : ${String(g.values.count)} (délai moyen ${Math.round(Number(g.values['avg:paymentTermDays']))} j)`).join(' ; ')];
  },
  /** l'explication d'une fiche (bouton Explain) : lecture par get_record, puis un résumé */
  explain: (id: string): PeerScript => (body) => {
    const output = unwrap(lastToolOutput(body));
    if (!output) return { toolCalls: [{ name: 'get_record', input: { entity: 'customer', id } }] };
    return [`[${String(output.name)}](/data/customer/${id}) est un client (code ${String(output.customerCode)}), paiement à ${String(output.paymentTermDays)} jours, `,
      `encours autorisé ${JSON.stringify(output.creditLimit)}. ${String(output.notes ?? '').slice(0, 120)}`];
  },
  /** question de suite dans la même conversation, sans outil : l'historique seul */
  followUp: (): PeerScript => () => ['Ils sont listés ci-dessus ; le total est indiqué dans la première réponse.'],
};

const QUESTIONS = {
  search: 'Quels sont les clients de Lyon ?',
  aggregate: 'Combien de clients par catégorie, avec leur délai de paiement moyen ?',
  // texte du bouton « Expliquer » de la fiche (frontend/src/i18n/fr.json, assistant.explainRecord)
  explain: (id: string) => `Explique et résume l’enregistrement Client ${id} (entité customer).`,
  followUp: 'Et combien sont-ils en tout ?',
};

// ——— client SSE chronométré ———

interface TimedEvent {
  event: string;
  data: any;
  at: number;
}

interface Asked {
  sentAt: number;
  endAt: number;
  events: TimedEvent[];
  requests: PeerRequest[];
}

async function ask(base: string, token: string, peers: AiPeers, message: string, conversationId?: string): Promise<Asked> {
  const before = peers.requests.length;
  const sentAt = performance.now();
  const res = await fetch(`${base}/api/v1/ai/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'fr' },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 200 || !res.body) throw new Error(`POST /api/v1/ai/chat: ${res.status} ${await res.text()}`);
  const events: TimedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    const at = performance.now();
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) events.push({ event, data: JSON.parse(data), at });
    }
  }
  const endAt = performance.now();
  const failed = events.find((e) => e.event === 'error' || (e.event === 'tool-result' && e.data.error));
  if (failed) throw new Error(`assistant ${failed.event}: ${JSON.stringify(failed.data)}`);
  if (!events.some((e) => e.event === 'done')) throw new Error(`no done event for "${message}"`);
  return { sentAt, endAt, events, requests: peers.requests.slice(before) };
}

// ——— préparation : plateforme, tenant, clients, pair configuré ———

const round1 = (n: number) => Math.round(n * 10) / 10;
function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: round1(rank(0.5)), p95: round1(rank(0.95)) };
}
const median = (values: number[]) => spread(values).p50;

interface Session {
  base: string;
  token: string;
  customerIds: string[];
  readerToken: string;
  put(key: string, value: unknown): Promise<void>;
}

const PASSWORD = 'benchmark-password';
const USERS = { admin: 'ai@opsflux.test', reader: 'ai-reader@opsflux.test' };

/** Serveur du banc dans son processus : plateforme, tenant, deux utilisateurs ; attend `settle` et `close`. */
interface ServerProcess {
  base: string;
  tenant: string;
  readerId: string;
  /** travail de fond terminé (outbox, chaînage de l'audit, travaux) */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const SERVER_FLAG = 'OPSFLUX_BENCH_AI_SERVER';

async function serve(databaseUrl: string | undefined): Promise<void> {
  const platform = await Platform.open({ url: databaseUrl, poolSize: 10, dispatch: process.env.BENCH_DISPATCH !== '0', outboundAllowList: () => ['127.0.0.1'] });
  const app = await buildApp(platform);
  const tenant = `bench-ai-${Date.now().toString(36)}`;
  await createUser(platform, { email: USERS.admin, password: PASSWORD, tenant, superAdmin: true });
  const { id: readerId } = await createUser(platform, { email: USERS.reader, password: PASSWORD, tenant });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  // banc parti (erreur, interruption) : le serveur ne lui survit pas
  process.on('disconnect', () => process.exit(1));
  process.on('message', (message: { type: 'settle' | 'close' }) => {
    void (async () => {
      if (message.type === 'settle') {
        await platform.dispatcher.idle();
        await platform.chainer.idle();
        await platform.jobs.idle();
        process.send!({ type: 'settled' });
      } else {
        await app.close();
        await platform.close();
        process.exit(0);
      }
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  process.send!({ type: 'ready', base, tenant, readerId });
}

function startServerProcess(databaseUrl: string | undefined): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [SERVER_FLAG]: databaseUrl ?? '' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) => new Promise<any>((resolve, reject) => {
    const onMessage = (message: any) => {
      if (message?.type !== type) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`AI bench server exited with ${code} while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  return next('ready').then((ready) => ({
    base: ready.base, tenant: ready.tenant, readerId: ready.readerId,
    settle: async () => {
      const settled = next('settled');
      child.send({ type: 'settle' });
      await settled;
    },
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({ type: 'close' });
    }),
  }));
}

async function prepareSession(server: ServerProcess, peers: AiPeers, customers: number): Promise<Session> {
  const { base, tenant } = server;
  const call = async (token: string, method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: object) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const login = async (email: string) => (await call('', 'POST', '/api/v1/auth/login', { email, password: PASSWORD, tenant })).accessToken as string;
  const token = await login(USERS.admin);
  const put = async (key: string, value: unknown) => void (await call(token, 'PUT', `/api/v1/settings/${key}`, { value, level: 'tenant' }));
  await put('ai.providers', [
    { name: 'gpt', kind: 'openai', chatModel: 'gpt-4o-mini', baseUrl: peers.baseUrl(PREFIX.openai) },
    { name: 'claude', kind: 'anthropic', chatModel: 'claude-sonnet-4-5', baseUrl: peers.baseUrl(PREFIX.anthropic) },
  ]);
  await put('ai.providerKeys', { gpt: 'sk-peer', claude: 'sk-ant-peer' });
  await put('ai.routing', { assistant: ['gpt'] });

  // clients réalistes : organisations dont le nom porte la ville (la recherche libre « Lyon » en trouve 1/12),
  // catégorie, étiquettes, coordonnées, encours, notes d'une phrase ou deux
  const categories: string[] = [];
  for (const [code, name] of [['retail', 'Retail'], ['wholesale', 'Wholesale'], ['public', 'Public sector']]) {
    categories.push((await call(token, 'POST', '/api/v1/data/category', { name, code: `bench-${code}`, appliesTo: 'party' })).id);
  }
  const random = seededRandom(2026);
  const tags = ['vip', 'new', 'strategic', 'late-payer', 'eco'];
  const customerIds: string[] = [];
  const BATCH = 500;
  for (let start = 0; start < customers; start += BATCH) {
    const operations = Array.from({ length: Math.min(BATCH, customers - start) }, (_, k) => {
      const i = start + k;
      const city = CITIES[i % CITIES.length]!;
      const name = `${companyName(random, i)} ${city.city}`;
      const slug = name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      return {
        op: 'create',
        data: {
          kind: 'organisation', name, customerCode: `C${String(i + 1).padStart(6, '0')}`,
          email: `contact@${slug}.example.com`, phone: `+33 4 ${String(10 + (i % 89))} ${String(i % 100).padStart(2, '0')} 00 00`,
          website: `https://www.${slug}.example.com`, taxId: `FR${String(10_000_000_000 + i * 7919)}`,
          category: pick(random, categories), tags: random() < 0.3 ? [pick(random, tags)] : [],
          paymentTermDays: pick(random, [0, 30, 45, 60]),
          creditLimit: { amount: `${(5 + Math.floor(random() * 95)) * 1000}.00`, currency: city.country === 'US' ? 'USD' : 'EUR' },
          notes: `Client depuis ${2010 + (i % 15)}, établi à ${city.city} (${city.street}). Livraisons ${pick(random, ['hebdomadaires', 'mensuelles', 'à la demande'])}, `
            + `contact principal au service ${pick(random, ['achats', 'logistique', 'comptabilité', 'direction'])}.`,
        },
      };
    });
    const result = await call(token, 'POST', '/api/v1/data/customer/bulk', { operations });
    for (const r of result.results as Array<{ id: string }>) customerIds.push(r.id);
  }

  // lecteur ordinaire : rôle qui ne lit que les clients et les catégories (taille des consignes et des outils)
  const filter = encodeURIComponent(JSON.stringify({ code: { in: ['customer:read', 'category:read'] } }));
  const permissions = (await call(token, 'GET', `/api/v1/data/permission?filter=${filter}`)).data.map((p: { id: string }) => p.id);
  const role = await call(token, 'POST', '/api/v1/data/role', { name: 'bench-ai-reader', permissions });
  await call(token, 'PATCH', `/api/v1/data/user/${server.readerId}`, { roles: [role.id] });
  const readerToken = await login(USERS.reader);
  return { base, token, customerIds, readerToken, put };
}

// ——— mesures ———

/** Chronologie d'une question à un appel d'outil (deux requêtes au pair). */
function timeline(asked: Asked) {
  const call = asked.events.find((e) => e.event === 'tool-call');
  const result = asked.events.find((e) => e.event === 'tool-result');
  const [first, second] = asked.requests;
  if (!call || !result || !first || !second || asked.requests.length !== 2) throw new Error(`expected one tool call and two model calls, got ${asked.requests.length}`);
  const last = asked.requests.at(-1)!;
  const peer = asked.requests.reduce((sum, r) => sum + ((r.answeredAt ?? r.receivedAt) - r.receivedAt), 0);
  const total = asked.endAt - asked.sentAt;
  return {
    tool: result.at - call.at, total, peer, added: total - peer,
    betweenCalls: second.receivedAt - (first.answeredAt ?? first.receivedAt),
    beforeFirstCall: first.receivedAt - asked.sentAt,
    modelToToolCall: call.at - (first.answeredAt ?? first.receivedAt),
    toolResultToNextCall: second.receivedAt - result.at,
    afterAnswer: asked.endAt - (last.answeredAt ?? last.receivedAt),
  };
}

async function latencyOf(session: Session, peers: AiPeers, tool: string, questions: number, warmUp: number, next: (i: number) => { message: string; script: PeerScript }): Promise<AiToolLatency> {
  const samples: Array<ReturnType<typeof timeline>> = [];
  for (let i = 0; i < warmUp + questions; i++) {
    const { message, script } = next(i);
    peers.answer(PREFIX.openai, (body) => script(body));
    const asked = await ask(session.base, session.token, peers, message);
    if (i >= warmUp) samples.push(timeline(asked));
  }
  const of = (key: keyof ReturnType<typeof timeline>) => samples.map((s) => s[key]);
  const result: AiToolLatency = {
    tool, questions,
    toolMs: spread(of('tool')), totalMs: spread(of('total')), peerMs: spread(of('peer')), addedMs: spread(of('added')), betweenCallsMs: spread(of('betweenCalls')),
    segments: {
      beforeFirstCallMs: median(of('beforeFirstCall')), modelToToolCallMs: median(of('modelToToolCall')),
      toolResultToNextCallMs: median(of('toolResultToNextCall')), afterAnswerMs: median(of('afterAnswer')),
    },
  };
  console.log(`  ${tool.padEnd(17)} tool-call→tool-result p50 ${result.toolMs.p50} ms p95 ${result.toolMs.p95} ms; question p50 ${result.totalMs.p50} ms, minus peer p50 ${result.addedMs.p50} ms p95 ${result.addedMs.p95} ms`);
  return result;
}

/** Décomposition d'une requête reçue par le pair (caractères JSON de chaque partie). */
function stepOf(request: PeerRequest, protocol: Protocol): AiStep {
  const { body } = request;
  const messages = body.messages as any[];
  const json = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);
  let systemChars = protocol === 'anthropic' ? json(body.system) : 0;
  let toolResultChars = 0;
  for (const m of messages) {
    if (m.role === 'system') systemChars += json(m);
    else if (m.role === 'tool') toolResultChars += json(m);
    else if (Array.isArray(m.content)) toolResultChars += m.content.filter((c: any) => c.type === 'tool_result').reduce((n: number, c: any) => n + json(c), 0);
  }
  const messagesChars = json(messages) + (protocol === 'anthropic' ? json(body.system) : 0);
  return {
    systemChars, toolsChars: json(body.tools ?? []), toolResultChars,
    conversationChars: messagesChars - systemChars - toolResultChars,
    bodyChars: request.bodyChars, inputTokens: estimateInputTokens(body),
  };
}

function promptSize(request: PeerRequest, protocol: Protocol, user: string): AiPromptSize {
  const { body } = request;
  const system = protocol === 'anthropic'
    ? (typeof body.system === 'string' ? body.system : (body.system as Array<{ text: string }>).map((b) => b.text).join('\n'))
    : String(body.messages[0].content);
  const perTool: Record<string, number> = {};
  let entityEnumChars = 0;
  let entityEnumCopies = 0;
  for (const t of body.tools as any[]) {
    const name = protocol === 'anthropic' ? t.name : t.function.name;
    const schema = protocol === 'anthropic' ? t.input_schema : t.function.parameters;
    perTool[name] = JSON.stringify(t).length;
    const list = schema?.properties?.entity?.enum;
    if (Array.isArray(list)) {
      entityEnumChars += JSON.stringify(list).length;
      entityEnumCopies++;
    }
  }
  return {
    user, protocol, entities: system.split('\n').filter((l) => l.startsWith('- ')).length,
    systemPromptChars: system.length, toolsChars: JSON.stringify(body.tools).length, perTool, entityEnumChars, entityEnumCopies,
  };
}

async function tokensOf(session: Session, peers: AiPeers, protocol: Protocol, scenario: string, user: string, token: string, message: string, script: PeerScript, conversationId?: string): Promise<{ result: AiTokenScenario; asked: Asked }> {
  peers.answer(PREFIX[protocol], (body) => script(body));
  const asked = await ask(session.base, token, peers, message, conversationId);
  const steps = asked.requests.map((r) => stepOf(r, protocol));
  const done = asked.events.find((e) => e.event === 'done')!.data as { usage: { inputTokens: number } };
  return {
    asked,
    result: { scenario, protocol, user, steps, inputTokens: steps.reduce((n, s) => n + s.inputTokens, 0), doneInputTokens: done.usage.inputTokens },
  };
}

export async function benchAi(backend: string, databaseUrl: string | undefined, options: { customers: number; questions: number; warmUp?: number }): Promise<AiBenchResult> {
  const peers = await startAiPeers({ usage: (body, reply) => ({ input: estimateInputTokens(body), output: estimateOutputTokens(reply) }) });
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess(databaseUrl);
    console.log(`\n[${backend}] ai: loading ${options.customers.toLocaleString('en')} customers…`);
    const seedStart = performance.now();
    const session = await prepareSession(server, peers, options.customers);
    // travail de fond laissé par le chargement (outbox, chaînage de l'audit) : terminé avant la mesure
    await server.settle();
    const seedSeconds = round1((performance.now() - seedStart) / 1000);
    console.log(`[${backend}] ai: loaded in ${seedSeconds} s; ${options.questions} questions per tool against a loopback OpenAI peer`);

    const warmUp = options.warmUp ?? 3;
    const ids = session.customerIds;
    const latency = [
      await latencyOf(session, peers, 'search_records', options.questions, warmUp, () => ({ message: QUESTIONS.search, script: SCRIPTS.search() })),
      await latencyOf(session, peers, 'get_record', options.questions, warmUp, (i) => {
        const id = ids[(i * 7919) % ids.length]!;
        return { message: QUESTIONS.explain(id), script: SCRIPTS.explain(id) };
      }),
      await latencyOf(session, peers, 'aggregate_records', options.questions, warmUp, () => ({ message: QUESTIONS.aggregate, script: SCRIPTS.aggregate() })),
    ];

    // jetons : les trois scénarios des tests, plus une question de suite (historique), sur les deux protocoles
    const tokens: AiTokenScenario[] = [];
    const prompt: AiPromptSize[] = [];
    for (const protocol of ['openai', 'anthropic'] as const) {
      await session.put('ai.routing', { assistant: [protocol === 'openai' ? 'gpt' : 'claude'] });
      const lyon = await tokensOf(session, peers, protocol, 'clients de Lyon (search)', 'admin', session.token, QUESTIONS.search, SCRIPTS.search());
      tokens.push(lyon.result);
      prompt.push(promptSize(lyon.asked.requests[0]!, protocol, 'admin'));
      const conversationId = lyon.asked.events.find((e) => e.event === 'conversation')!.data.id as string;
      tokens.push((await tokensOf(session, peers, protocol, 'follow-up (history only)', 'admin', session.token, QUESTIONS.followUp, SCRIPTS.followUp(), conversationId)).result);
      tokens.push((await tokensOf(session, peers, protocol, 'aggregate by category', 'admin', session.token, QUESTIONS.aggregate, SCRIPTS.aggregate())).result);
      tokens.push((await tokensOf(session, peers, protocol, 'explain record (get)', 'admin', session.token, QUESTIONS.explain(ids[0]!), SCRIPTS.explain(ids[0]!))).result);
      const reader = await tokensOf(session, peers, protocol, 'clients de Lyon (search)', 'reader', session.readerToken, QUESTIONS.search, SCRIPTS.search());
      tokens.push(reader.result);
      prompt.push(promptSize(reader.asked.requests[0]!, protocol, 'reader'));
    }
    await session.put('ai.routing', { assistant: ['gpt'] });
    return { backend, customers: options.customers, seedSeconds, latency, tokens, prompt, note: ESTIMATE_NOTE };
  } finally {
    await server?.close();
    await peers.close();
  }
}

/** Lignes du rapport (affichées par run.ts). */
export function reportAi(result: AiBenchResult): string[] {
  const lines: string[] = [];
  const ms = (s: Spread) => `${s.p50} / ${s.p95}`;
  lines.push(`\nAI assistant (${result.backend}, ${result.customers.toLocaleString('en')} customers, loopback OpenAI peer answering at once; ms p50 / p95)`);
  lines.push(`  ${'tool'.padEnd(17)}  ${'call→result'.padStart(13)}  ${'between calls'.padStart(13)}  ${'question'.padStart(13)}  ${'peer'.padStart(11)}  ${'question−peer'.padStart(13)}  before 1st call · model→tool-call · result→2nd call · after answer (p50)`);
  for (const l of result.latency) {
    const s = l.segments;
    lines.push(`  ${l.tool.padEnd(17)}  ${ms(l.toolMs).padStart(13)}  ${ms(l.betweenCallsMs).padStart(13)}  ${ms(l.totalMs).padStart(13)}  ${ms(l.peerMs).padStart(11)}  ${ms(l.addedMs).padStart(13)}  `
      + `${s.beforeFirstCallMs} · ${s.modelToToolCallMs} · ${s.toolResultToNextCallMs} · ${s.afterAnswerMs}  (${l.questions} questions)`);
  }
  lines.push(`\nAI input tokens per question (${result.note})`);
  lines.push(`  ${'protocol'.padEnd(9)} ${'user'.padEnd(6)} ${'scenario'.padEnd(26)} ${'step'.padStart(4)}  ${'system'.padStart(7)}  ${'tools'.padStart(7)}  ${'conv.'.padStart(6)}  ${'results'.padStart(7)}  ${'body'.padStart(7)}  ${'~tokens'.padStart(7)}`);
  for (const t of result.tokens) {
    t.steps.forEach((s, i) => lines.push(`  ${t.protocol.padEnd(9)} ${t.user.padEnd(6)} ${t.scenario.padEnd(26)} ${String(i + 1).padStart(4)}  ${String(s.systemChars).padStart(7)}  `
      + `${String(s.toolsChars).padStart(7)}  ${String(s.conversationChars).padStart(6)}  ${String(s.toolResultChars).padStart(7)}  ${String(s.bodyChars).padStart(7)}  ${String(s.inputTokens).padStart(7)}`));
    lines.push(`  ${''.padEnd(9)} ${''.padEnd(6)} ${'→ question total'.padEnd(26)} ${''.padStart(4)}  ${''.padStart(7)}  ${''.padStart(7)}  ${''.padStart(6)}  ${''.padStart(7)}  ${''.padStart(7)}  ${String(t.inputTokens).padStart(7)}  (done event: ${t.doneInputTokens})`);
  }
  lines.push('\nAI prompt sizes (characters sent with every model call)');
  for (const p of result.prompt) {
    const tools = Object.entries(p.perTool).map(([name, n]) => `${name} ${n}`).join(', ');
    lines.push(`  ${p.protocol.padEnd(9)} ${p.user.padEnd(6)} ${p.entities} entities: system prompt ${p.systemPromptChars}, tool definitions ${p.toolsChars} (${tools}); `
      + `entity list repeated ${p.entityEnumCopies}× in the tools = ${p.entityEnumChars}`);
  }
  return lines;
}

// lancé comme serveur du banc (processus enfant) : rien d'autre
if (process.env[SERVER_FLAG] !== undefined) await serve(process.env[SERVER_FLAG] || undefined);
