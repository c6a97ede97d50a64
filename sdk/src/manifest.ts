// Manifeste d'un module (`metadata.json`) : la forme publiée dans schema/module-manifest.schema.json.
import type { Label } from './entity.js';

export interface ModuleMenu {
  id: string;
  label: Label;
  parent?: string;
  /** liste générique de cette entité */
  entity?: string;
  /** page du module (voir `frontend.pages`) */
  path?: string;
  icon?: string;
  order?: number;
  /** permission `entité:action` requise pour voir l'entrée */
  permission?: string;
}

/**
 * Modules que la coquille prête à l'interface d'un module (carte d'import du navigateur) : une interface de module
 * les importe par ces noms et ne les embarque jamais. UI5 passe par `@ui5/webcomponents-react` uniquement.
 */
export const SHELL_MODULES = ['react', 'react/jsx-runtime', 'react-dom', 'react-router', '@ui5/webcomponents-react', '@opsflux/sdk'] as const;

/** Propriétés qu'une page de module reçoit de la coquille. */
export interface ModulePageProps {
  /** client de l'API, session du navigateur comprise */
  api: import('./client.js').OpsFluxClient;
  /** langue courante de l'interface */
  language: 'fr' | 'en';
  /** texte traduit du module (fichiers i18n du manifeste) */
  t: (key: string, values?: Record<string, string | number>) => string;
  /** navigation dans l'application (chemins de la coquille : /data/<entité>/<id>…) */
  navigate: (path: string) => void;
}

export interface ModuleFrontend {
  /** module ES construit, relatif à la racine du paquet */
  entry: string;
  /** pages exportées par le module ES, montées par la coquille sous /app/m/<module><path> */
  pages?: { path: string; export: string; label?: Label }[];
}

export interface ModuleManifest {
  name: string;
  version: string;
  label: Label;
  description?: Label;
  author?: string;
  /** free : aucune licence ; commercial : fichier de licence signé exigé par tenant */
  license?: { type: 'free' | 'commercial'; spdx?: string; vendor?: string };
  /** versions du cœur compatibles (plage semver) */
  core: string;
  dependencies?: Record<string, string>;
  conflicts?: Record<string, string>;
  entities?: string[];
  extends?: string[];
  menus?: ModuleMenu[];
  permissions?: { key: string; label: Label }[];
  settings?: string[];
  hooks?: string[];
  /** outils de l'assistant d'IA (`defineAiTool`), par nom */
  aiTools?: string[];
  tasks?: { name: string; cron: string; label?: Label }[];
  /** fichiers de traductions par langue (clé → texte), relatifs à la racine du paquet */
  translations?: Record<string, string>;
  frontend?: ModuleFrontend;
  keywords?: string[];
  homepage?: string;
}
