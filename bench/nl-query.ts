// Banc des questions en langage naturel sans modèle de langue (scénario `nl-query`) : POST /api/v1/ai/nl-query sur
// les données de démonstration, questions du jeu d'exactitude (backend/test/integration/ai/local/nl-questions.ts) en
// boucle, une à la fois, par un utilisateur ordinaire : interprétation seule, puis interprétation et exécution.
// Débit en questions par seconde, latence médiane et p95 ; le premier appel (valeurs connues à lire) à part.
import { Platform } from '../backend/src/core/platform.js';
import { loadDemo } from '../backend/src/demo/load-demo.js';
import { buildApp } from '../backend/src/http/app.js';
import { nlCases } from '../backend/test/integration/ai/local/nl-questions.js';

export interface NlQueryPhase {
  questionsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  questions: number;
}

export interface NlQueryBenchResult {
  backend: string;
  /** premier appel : lecture des valeurs connues (villes, catégories…) de l'entité */
  coldMs: number;
  parse: NlQueryPhase;
  execute: NlQueryPhase;
}

const PASSWORD = 'bench nl-query 2026';
const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]! * 10) / 10;

export async function benchNlQuery(backend: string, databaseUrl: string | undefined, seconds: number): Promise<NlQueryBenchResult> {
  // sans l'outbox : les événements des créations de démonstration ne déclenchent aucun travail pendant la mesure
  const platform = await Platform.open({ url: databaseUrl, poolSize: 4, dispatch: false });
  const app = await buildApp(platform);
  try {
    const tenant = `bench-nlq-${Date.now().toString(36)}`;
    console.log(`[${backend}] nl-query: loading the demo data…`);
    await loadDemo(platform, { tenant, password: PASSWORD });
    console.log(`[${backend}] nl-query: demo data loaded`);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `sales@${tenant}.opsflux.local`, password: PASSWORD, tenant } });
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    const questions = nlCases(new Date()).filter((c) => c.expect !== 'refused').map((c) => ({ question: c.q, ...(c.context ? { entity: c.context } : {}) }));
    const post = async (body: object) => {
      const started = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/v1/ai/nl-query', headers, payload: body });
      if (res.statusCode !== 200) throw new Error(`nl-query ${res.statusCode}: ${res.body}`);
      return performance.now() - started;
    };
    const coldMs = Math.round(await post({ question: 'clients à Lyon' }));
    // chauffe : une fois chaque question (valeurs connues de chaque entité en mémoire)
    for (const q of questions) await post(q);
    const phase = async (execute: boolean): Promise<NlQueryPhase> => {
      const times: number[] = [];
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      for (let i = 0; performance.now() < until; i++) times.push(await post({ ...questions[i % questions.length]!, execute }));
      const elapsed = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      return { questionsPerSecond: Math.round((times.length / elapsed) * 10) / 10, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95), questions: times.length };
    };
    const parse = await phase(false);
    const execute = await phase(true);
    return { backend, coldMs, parse, execute };
  } finally {
    await app.close();
    await platform.close();
  }
}

export function reportNlQuery(r: NlQueryBenchResult): string[] {
  return [
    `\nnatural-language queries (${r.backend}, demo data, one question at a time, ordinary user)`,
    `  interpretation only     ${String(r.parse.questionsPerSecond).padStart(7)} questions/s  p50 ${r.parse.p50Ms} ms  p95 ${r.parse.p95Ms} ms  (${r.parse.questions} questions)`,
    `  interpretation + result ${String(r.execute.questionsPerSecond).padStart(7)} questions/s  p50 ${r.execute.p50Ms} ms  p95 ${r.execute.p95Ms} ms  (${r.execute.questions} questions)`,
    `  first question (known values read) ${r.coldMs} ms`,
  ];
}
