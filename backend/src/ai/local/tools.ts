// Outils de l'assistant apportés par l'intelligence locale (requêtes en langage naturel, documents, prévisions…) :
// chaque capacité fournit une fabrique appelée pour chaque conversation ou appel MCP, avec la même portée que les
// outils du cœur (l'utilisateur, son catalogue vu, le puits des citations). Une fabrique ne rend que les outils que
// l'utilisateur peut employer ; elle s'exécute COMME lui.
import type { ToolSet } from 'ai';
import type { ToolScope } from '../assistant/tools.js';

export type LocalToolFactory = (scope: ToolScope) => ToolSet;

/** Fabriques inscrites par les capacités locales à l'assemblage (liste lue à chaque conversation). */
export type LocalToolRegistry = LocalToolFactory[];

/** Tous les outils des capacités locales pour cette portée. */
export function localTools(factories: readonly LocalToolFactory[] | undefined, scope: ToolScope): ToolSet {
  const tools: ToolSet = {};
  for (const factory of factories ?? []) Object.assign(tools, factory(scope));
  return tools;
}
