// Forme des métadonnées servies par /api/v1/meta/entities (tout l'écran en découle).
export type Label = Record<string, string | undefined>;

export interface FieldMeta {
  name: string;
  type: string;
  required: boolean;
  label: Label;
  readOnly?: boolean;
  /** chemins génériques qui peuvent écrire le champ (`api`, `import`, `rules`) */
  writableBy?: string[];
  unique?: boolean;
  custom?: boolean;
  default?: unknown;
  options?: { values?: string[]; to?: string; via?: string; precision?: number; scale?: number; returns?: string };
  min?: number;
  max?: number;
  maxLength?: number;
  inheritedFrom?: string;
  /** suggestion d'IA offerte dans les fiches, avec la consigne donnée au modèle */
  aiSuggest?: { prompt?: string };
}

export interface EntityMeta {
  name: string;
  label: Label;
  module: string;
  extends: string | null;
  scope: string;
  abstract: boolean;
  custom: boolean;
  display: string | null;
  fields: FieldMeta[];
}

export interface MenuNode {
  id: string;
  label: string;
  module: string;
  icon?: string;
  entity?: string;
  path?: string;
  children: MenuNode[];
}

export interface Me {
  user: { id: string; email: string; displayName?: string; [key: string]: unknown };
  tenant: { id: string; slug: string; name: string } | null;
  companies: { id: string; name: string }[];
  currentCompanyId: string | null;
  roles: string[];
  superAdmin: boolean;
  admin: boolean;
  permissions: string[];
  preferences: Record<string, unknown>;
}
