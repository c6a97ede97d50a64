// Scénarios autocannon : liste, lecture par id, création, modification ; mêmes charges contre OpsFlux et la référence.
import autocannon from 'autocannon';

export interface Measure {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface Target {
  base: string;
  token?: string;
  ids: string[];
}

/** `access` : la liste lue par un utilisateur ordinaire (rôle), comparée à la même liste lue en super-administrateur. */
export type Scenario = 'list' | 'get' | 'create' | 'patch' | 'access';
export const SCENARIOS: Scenario[] = ['list', 'get', 'create', 'patch', 'access'];

const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!;

/** Requête du scénario pour OpsFlux (`api`) ou pour la référence (`baseline`). */
function request(kind: 'api' | 'baseline', scenario: Scenario, target: Target): autocannon.Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  const filter = encodeURIComponent(JSON.stringify({ qty: { gte: 500 }, active: true }));
  const paths = kind === 'api'
    ? { list: `/api/v1/data/bench_item?filter=${filter}&sort=-qty,name&limit=50`, item: '/api/v1/data/bench_item' }
    : { list: '/list?min=500', item: '/item' };
  let n = 0;
  switch (scenario) {
    case 'list': case 'access':
      return { method: 'GET', path: paths.list, headers };
    case 'get':
      return { method: 'GET', path: paths.item, headers, setupRequest: (req) => ({ ...req, path: `${paths.item}/${pick(target.ids)}` }) };
    case 'create':
      return {
        method: 'POST', path: paths.item, headers,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: `New ${n++}`, qty: n % 1000, price: '9.99', active: true, category: 'service' }) }),
      };
    case 'patch':
      return {
        method: 'PATCH', path: paths.item, headers,
        setupRequest: (req) => ({ ...req, path: `${paths.item}/${pick(target.ids)}`, body: JSON.stringify({ qty: n++ % 1000 }) }),
      };
  }
}

export async function measure(kind: 'api' | 'baseline', scenario: Scenario, target: Target, seconds: number, connections: number, warmUp = true): Promise<Measure> {
  const run = (duration: number) => autocannon({ url: target.base, connections, duration, requests: [request(kind, scenario, target)] });
  if (warmUp) await run(Math.min(2, seconds)); // chauffe : JIT, caches, plans
  const result = await run(seconds);
  const errors = result.non2xx + result.errors + result.timeouts;
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
}
