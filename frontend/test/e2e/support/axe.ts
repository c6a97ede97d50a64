// Accessibilité : axe-core (règles WCAG 2 A et AA) exécuté dans la page, shadow DOM des composants UI5 compris ;
// seules les violations graves ou critiques sont rendues.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Faux positif connu : le formulaire UI5 en lecture rend <dl> dans son shadow DOM et chaque <dt>/<dd> dans celui de
 * ses éléments ; l'arbre composé est correct, mais axe juge chaque racine séparément. Écarté pour ui5-form seulement.
 */
const SHADOW_DEFINITION_LIST = new Set(['definition-list', 'dlitem']);
const insideUi5Form = (v: Violation) => SHADOW_DEFINITION_LIST.has(v.id) && v.targets.every((t) => t.startsWith('[["ui5-form'));

export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    // exécuté dans la page : axe et document sont ceux du navigateur
    const { axe, document } = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown[] }> }> }> };
    };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }).then((violations) => violations.filter((v) => !insideUi5Form(v)));
}
