// HTTP(S) sortant gardé (undici) : chaque connexion passe par la politique (nom résolu par la garde, connexion à
// l'adresse vérifiée, nom gardé pour SNI et la vérification du certificat) ; une redirection n'est suivie que si
// l'appelant le permet, pour GET et HEAD, et chaque étape repasse par la même garde.
import { Agent, buildConnector, fetch, Headers, type RequestInit, type Response } from 'undici';
import { permittedAddress } from './resolve.js';
import type { OutboundPolicy } from './policy.js';

// établissement d'une connexion sortante : au-delà l'hôte est injoignable ; les délais de réponse sont réglés par service
const CONNECT_TIMEOUT_MS = 10_000;
/** politiques distinctes gardées en même temps (genres × valeurs des réglages) : borne mémoire du pool, pas un réglage */
const MAX_AGENTS = 16;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** en-têtes qui ne suivent pas une redirection vers une autre origine */
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

export interface OutboundRequest extends Omit<RequestInit, 'redirect' | 'dispatcher'> {
  /** redirections suivies (GET et HEAD) ; 0 par défaut : une réponse 3xx est rendue telle quelle */
  maxRedirects?: number;
}

/** Adresse http(s) sans identifiants, ou erreur claire. */
export function httpTarget(text: string): URL {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Only http and https addresses are allowed (${url.protocol})`);
  if (url.username || url.password) throw new Error('Addresses with credentials are not allowed');
  return url;
}

function guardedConnector(policy: OutboundPolicy): buildConnector.connector {
  const connect = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    // `host` reste le nom demandé : undici en tire le nom TLS (SNI, certificat)
    permittedAddress(policy, options.hostname, port).then(
      (address) => connect({ ...options, hostname: address }, callback),
      (error: Error) => callback(error, null),
    );
  };
}

export class GuardedHttp {
  private readonly agents = new Map<string, Agent>();

  async fetch(policy: OutboundPolicy, url: string, init: OutboundRequest = {}): Promise<Response> {
    const { maxRedirects = 0, ...request } = init;
    const method = (request.method ?? 'GET').toUpperCase();
    let target = httpTarget(url);
    let headers = new Headers(request.headers);
    for (let hop = 0; ; hop++) {
      const response = await this.send(policy, target, { ...request, headers });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location || maxRedirects === 0 || (method !== 'GET' && method !== 'HEAD')) return response;
      await response.body?.cancel();
      if (hop >= maxRedirects) throw new Error(`More than ${maxRedirects} redirects from ${url}`);
      const next = httpTarget(new URL(location, target).href);
      if (next.origin !== target.origin) {
        headers = new Headers(headers);
        for (const name of CREDENTIALS) headers.delete(name);
      }
      target = next;
    }
  }

  /** Arrêt du nœud : les requêtes encore en cours sont interrompues. */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy()));
  }

  private async send(policy: OutboundPolicy, url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'manual', dispatcher: this.agent(policy) });
    } catch (error) {
      // « fetch failed » : la vraie cause (refus de la politique, connexion refusée, certificat…) est plus parlante
      if (error instanceof TypeError && error.cause instanceof Error) throw error.cause;
      throw error;
    }
  }

  private agent(policy: OutboundPolicy): Agent {
    let agent = this.agents.get(policy.key);
    if (!agent) {
      if (this.agents.size >= MAX_AGENTS) {
        const [key, oldest] = this.agents.entries().next().value!;
        this.agents.delete(key);
        // fermeture douce : les requêtes en cours finissent, puis ses connexions sont fermées
        void oldest.close().catch(() => undefined);
      }
      agent = new Agent({ connect: guardedConnector(policy) });
      this.agents.set(policy.key, agent);
    }
    return agent;
  }
}
