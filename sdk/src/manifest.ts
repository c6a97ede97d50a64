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
  tasks?: { name: string; cron: string; label?: Label }[];
  /** fichiers de traductions par langue (clé → texte), relatifs à la racine du paquet */
  translations?: Record<string, string>;
  frontend?: ModuleFrontend;
  keywords?: string[];
  homepage?: string;
}
