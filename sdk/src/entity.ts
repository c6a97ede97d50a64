// Déclaration des entités : la forme unique partagée par le cœur, les modules et l'API de métadonnées.

export const FIELD_TYPES = [
  'string', 'text', 'integer', 'decimal', 'money', 'boolean', 'date', 'datetime', 'enum', 'json',
  'ref', 'refs', 'children', 'file', 'email', 'phone', 'url', 'tags', 'computed', 'translatable',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Chemins génériques d'écriture : l'API (REST, lots), l'import de fichiers, les règles d'automatisation. */
export const FIELD_WRITERS = ['api', 'import', 'rules'] as const;
export type FieldWriter = (typeof FIELD_WRITERS)[number];
/** `writableBy` d'un champ qu'un crochet de code contrôle (droits, identité, adresses appelées) : pas les règles. */
export const CHECKED_BY_HOOKS: readonly FieldWriter[] = ['api', 'import'];

/**
 * Types qu'un modèle d'IA sait remplir (le schéma de la réponse structurée en découle) : suggestions sur les champs
 * (`aiSuggest`) et actions `ai` des règles d'automatisation.
 */
export const AI_FILLABLE_TYPES = ['string', 'text', 'enum', 'integer', 'decimal', 'boolean', 'date', 'email', 'url', 'phone'] as const satisfies readonly FieldType[];

/**
 * Suggestion d'IA offerte sur un champ : les fiches montrent une action « Suggérer » qui propose une valeur d'après
 * les autres champs de l'enregistrement ; `prompt` précise la consigne donnée au modèle. Rien n'est écrit sans
 * l'utilisateur.
 */
export type AiSuggestOption = boolean | { prompt?: string };
/** Consigne d'une suggestion d'IA : caractères au plus. */
export const AI_SUGGEST_MAX_PROMPT = 1000;

/** Libellé traduit : au moins l'anglais, le français recommandé. */
export type Label = { en: string; fr?: string } & Record<string, string | undefined>;

export interface FieldOptions {
  /** enum : valeurs permises */
  values?: string[];
  /** ref / refs / children : entité cible */
  to?: string;
  /** children : champ ref de l'entité cible qui pointe vers le parent */
  via?: string;
  /** decimal / money : précision et échelle */
  precision?: number;
  scale?: number;
  /** computed : expression SQL (colonnes de la même table, en snake_case) et type du résultat */
  sql?: string;
  returns?: 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime';
}

export interface FieldDefinition {
  type: FieldType;
  label?: Label;
  required?: boolean;
  default?: unknown;
  unique?: boolean;
  index?: boolean;
  /** participe à la recherche plein texte `q` */
  search?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  pattern?: string;
  /** lisible mais jamais écrit par l'API */
  readOnly?: boolean;
  /**
   * interne (secrets, éléments d'authentification : empreinte de mot de passe, secret TOTP…) : ni lu ni écrit par les
   * chemins génériques (API, import, règles, conditions, exports, métadonnées) ; seul le code de confiance l'écrit
   */
  internal?: boolean;
  /** écrit par l'API mais jamais relu (ex. secret chiffré d'un fournisseur d'identité) */
  writeOnly?: boolean;
  /**
   * la colonne garde une valeur scellée par la boîte à secrets de la plateforme (chiffrée, jamais en clair) : la
   * rotation des clés (`opsflux secrets rotate`) la re-scelle. Pour un champ `internal` ou `writeOnly`.
   */
  sealed?: boolean;
  /**
   * chemins génériques qui peuvent écrire le champ. Par défaut : tous ; l'API seule pour un champ en écriture seule ;
   * aucun pour un champ interne, en lecture seule ou calculé (la liste ne peut que restreindre). À restreindre pour un
   * champ qu'un crochet de code contrôle ou transforme (droits, identité, adresses appelées) : les règles
   * d'automatisation posent leurs valeurs après ces crochets.
   */
  writableBy?: readonly FieldWriter[];
  /** suggestion d'IA dans les fiches (types de AI_FILLABLE_TYPES, champ écrit par l'API) ; voir AiSuggestOption */
  aiSuggest?: AiSuggestOption;
  options?: FieldOptions;
  description?: string;
}

export type EntityScope = 'tenant' | 'company' | 'site';

export interface EntityDefinition {
  name: string;
  module?: string;
  label?: Label;
  /** héritage par tables (class-table inheritance) */
  extends?: string;
  /** abstraite : pas d'API de création directe */
  abstract?: boolean;
  scope?: EntityScope;
  /** nom de table physique (par défaut : le nom de l'entité) */
  table?: string;
  /** champ affiché comme titre d'un enregistrement */
  display?: string;
  /**
   * arbre : champs `parent` (référence à la même entité) et `path` (chemin `/racine/…/id/`, lecture seule) ajoutés,
   * cycles refusés, sous-arbre filtrable par `{"path": {"like": "%/<id>/%"}}` (ou `<ref>.path` depuis une autre entité)
   */
  tree?: boolean;
  /**
   * enregistrements personnels : `field` (référence à l'utilisateur) est posé à la création ; un utilisateur ne lit
   * que les siens (et ceux dont le booléen `shared` est vrai, ou dont la liste de rôles `sharedWith` croise les siens),
   * ne modifie et ne supprime que les siens
   */
  owner?: { field: string; shared?: string; sharedWith?: string };
  /**
   * enregistrements joints à un enregistrement de n'importe quelle entité (pièce jointe, lecture de document) : noms des
   * champs texte qui portent l'entité et l'identifiant visés ; le graphe des enregistrements suit ce lien
   */
  attachedTo?: { entity: string; recordId: string };
  /** index sur plusieurs champs (unique : parmi les enregistrements non supprimés du tenant) */
  indexes?: { fields: string[]; unique?: boolean }[];
  fields: Record<string, FieldDefinition>;
}

/** Extension d'une entité existante par un module (à la Odoo) sans la copier. */
export interface EntityExtension {
  entity: string;
  module?: string;
  fields: Record<string, FieldDefinition>;
}

export function defineEntity<const T extends EntityDefinition>(definition: T): T {
  return definition;
}

export function extendEntity<const T extends EntityExtension>(extension: T): T {
  return extension;
}
