// Client typé de l'API REST (fetch) : enregistrements génériques, analyse, modules ; les erreurs problem+json deviennent ApiError.
import type { AnalyticsQuery, AnalyticsResult } from './analytics.js';
import type { Problem } from './problem.js';
import type { HistoryEntry, ListResponse, RecordData } from './records.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export interface ClientOptions {
  /** racine du serveur, par exemple http://127.0.0.1:3000 */
  baseUrl: string;
  token?: string;
  locale?: 'fr' | 'en';
  fetch?: typeof fetch;
  /** en-têtes ajoutés à chaque appel (navigateur : jeton anti-CSRF, langue courante) */
  headers?: () => Record<string, string>;
  /** navigateur : 'same-origin' envoie les cookies de session */
  credentials?: 'omit' | 'same-origin' | 'include';
}

export interface ListParams {
  filter?: Record<string, unknown>;
  sort?: string;
  limit?: number;
  cursor?: string;
  q?: string;
  /** champs renvoyés, séparés par des virgules */
  fields?: string;
  /** ajoute le nombre total de lignes à meta.count */
  count?: boolean;
  trashed?: 'with' | 'only';
}

export interface ModuleSummary {
  name: string;
  version: string;
  label: Record<string, string>;
  state: 'available' | 'installed' | 'active' | 'inactive';
  dependencies: Record<string, string>;
  license: string;
}

export function createClient(options: ClientOptions) {
  const send = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/$/, '');

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await send(`${base}/api/v1${path}`, {
      method,
      credentials: options.credentials,
      headers: {
        ...options.headers?.(),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.locale ? { 'accept-language': options.locale } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const payload = await response.json().catch(() => ({ title: response.statusText, status: response.status }));
    if (!response.ok) throw new ApiError(response.status, payload as Problem);
    return payload as T;
  }

  const query = (params: ListParams = {}) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) search.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const entityPath = (entity: string) => `/data/${encodeURIComponent(entity)}`;

  return {
    /** appel libre sur /api/v1 (routes pas encore typées ici) */
    request: call,
    records: {
      list: <T = RecordData>(entity: string, params?: ListParams) => call<ListResponse<T>>('GET', `${entityPath(entity)}${query(params)}`),
      get: <T = RecordData>(entity: string, id: string) => call<T>('GET', `${entityPath(entity)}/${encodeURIComponent(id)}`),
      create: <T = RecordData>(entity: string, data: Record<string, unknown>) => call<T>('POST', entityPath(entity), data),
      update: <T = RecordData>(entity: string, id: string, data: Record<string, unknown>, version?: number) =>
        call<T>('PATCH', `${entityPath(entity)}/${encodeURIComponent(id)}`, data, version === undefined ? {} : { 'if-match': `"${version}"` }),
      remove: (entity: string, id: string) => call<void>('DELETE', `${entityPath(entity)}/${encodeURIComponent(id)}`),
      restore: <T = RecordData>(entity: string, id: string) => call<T>('POST', `${entityPath(entity)}/${encodeURIComponent(id)}/restore`, {}),
      history: (entity: string, id: string, params: { limit?: number; cursor?: string } = {}) =>
        call<ListResponse<HistoryEntry>>('GET', `${entityPath(entity)}/${encodeURIComponent(id)}/history${query(params)}`),
    },
    analytics: {
      /** mesures par dimensions avec les droits de l'appelant (POST /analytics/query) */
      query: (body: AnalyticsQuery) => call<AnalyticsResult>('POST', '/analytics/query', body),
    },
    modules: {
      list: () => call<{ data: ModuleSummary[] }>('GET', '/modules'),
      get: (name: string) => call<ModuleSummary>('GET', `/modules/${encodeURIComponent(name)}`),
      install: (name: string) => call<ModuleSummary>('POST', `/modules/${encodeURIComponent(name)}/install`, {}),
      activate: (name: string) => call<ModuleSummary>('POST', `/modules/${encodeURIComponent(name)}/activate`, {}),
      deactivate: (name: string) => call<ModuleSummary>('POST', `/modules/${encodeURIComponent(name)}/deactivate`, {}),
      uninstall: (name: string, keepData = true) => call<ModuleSummary>('POST', `/modules/${encodeURIComponent(name)}/uninstall`, { keepData }),
    },
    /** route propre à un module : /api/v1/mod/<module><path> */
    module: (name: string) => ({
      get: <T>(path: string) => call<T>('GET', `/mod/${name}${path}`),
      post: <T>(path: string, body: unknown) => call<T>('POST', `/mod/${name}${path}`, body),
    }),
  };
}

export type OpsFluxClient = ReturnType<typeof createClient>;
