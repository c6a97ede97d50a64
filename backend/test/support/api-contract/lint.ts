// Lint du document OpenAPI avec les règles recommandées de Redocly (le moteur de `redocly lint`, sans son client qui
// interroge le réseau pour sa télémétrie et ses mises à jour).
import { createConfig, lintFromString } from '@redocly/openapi-core';

export interface LintFinding {
  severity: string;
  rule: string;
  message: string;
  where: string;
}

export async function lintOpenApi(document: object): Promise<LintFinding[]> {
  const config = await createConfig({
    extends: ['recommended'],
    rules: {
      // /data/x/by-eid/{eid} et /data/x/{id}/restore ont la même forme : le segment littéral « by-eid » les départage
      // (find-my-way préfère le statique) et un uuid ne vaut jamais « by-eid » ; la règle ne sait pas le voir.
      'no-ambiguous-paths': 'off',
      // les parcours SSO répondent par une redirection 302 vers le fournisseur ou vers l'application, jamais 2xx.
      'operation-2xx-response': 'off',
    },
  });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
  return problems.map((p) => ({
    severity: p.severity,
    rule: p.ruleId,
    message: p.message,
    where: p.location[0]?.pointer ?? '',
  }));
}
