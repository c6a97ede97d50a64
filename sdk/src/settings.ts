// Réglages déclarés par le cœur et les modules : clé, schéma JSON, valeur par défaut, portée, libellés.
import type { Label } from './entity.js';

/** Niveaux où une valeur peut être posée, du plus large au plus précis. */
export type SettingLevel = 'platform' | 'tenant' | 'company' | 'user';

export interface SettingDeclaration {
  /** `domaine.sous-domaine.nom`, en minuscules et camelCase */
  key: string;
  /** JSON Schema (draft 2020-12) de la valeur */
  schema: Record<string, unknown>;
  default: unknown;
  /** niveau le plus précis où la valeur peut être posée ; les niveaux plus larges la fournissent par défaut */
  scope: SettingLevel;
  /** chiffré au repos, jamais renvoyé par l'API (seulement « défini ou non ») */
  secret?: boolean;
  label: Label;
  description?: Label;
  /** module qui déclare le réglage (posé par la plateforme) : visible seulement là où le module est actif */
  module?: string;
}

/** Déclare un réglage (identité typée : la validation a lieu à l'enregistrement). */
export function defineSetting(declaration: SettingDeclaration): SettingDeclaration {
  return declaration;
}
