// Définition du code d'un module (backend/index.ts) et services que le cœur lui prête : la seule surface d'un module.
import type { EntityDefinition, EntityExtension } from './entity.js';
import type { ModuleAi } from './optimise.js';
import type { RecordData } from './records.js';
import type { SettingDeclaration } from './settings.js';

export type RecordEventName = 'beforeCreate' | 'afterCreate' | 'beforeUpdate' | 'afterUpdate' | 'beforeDelete' | 'afterDelete';

export interface RecordQuery {
  /** filtre du langage JSON commun (voir docs/api.md) */
  filter?: Record<string, unknown>;
  /** `champ` ou `-champ`, séparés par des virgules */
  sort?: string;
  limit?: number;
}

/** Enregistrements du tenant de l'appel, dans sa transaction, avec les droits de l'appelant. */
export interface ModuleRecords {
  list(entity: string, query?: RecordQuery): Promise<RecordData[]>;
  get(entity: string, id: string): Promise<RecordData>;
  create(entity: string, data: Record<string, unknown>): Promise<RecordData>;
  /** `expectedVersion` : refus (409) si l'enregistrement a changé depuis sa lecture (pas de mise à jour perdue) */
  update(entity: string, id: string, data: Record<string, unknown>, options?: { expectedVersion?: number }): Promise<RecordData>;
  remove(entity: string, id: string): Promise<void>;
  /** crée ou met à jour par eid : un script d'installation rejoué (réinstallation après désinstallation sans perte de données) ne duplique rien */
  upsert(entity: string, eid: string, data: Record<string, unknown>): Promise<RecordData>;
}

export interface ModuleLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Services prêtés à un module : jamais l'application entière. */
export interface ModuleContext {
  module: string;
  tenantId: string;
  userId: string | null;
  locale: 'fr' | 'en';
  records: ModuleRecords;
  /** même contexte avec les droits du système (l'auteur audité reste l'appelant) : pour les écritures induites */
  sudo(): ModuleContext;
  /** prochain numéro d'une séquence du tenant (`sequence` : code, date, société), dans la transaction en cours */
  nextNumber(code: string, options?: { date?: string; companyId?: string | null }): Promise<string>;
  /** montant converti entre devises à une date (taux du tenant, arrondi de la devise cible) */
  convert(amount: string, from: string, to: string, date?: string): Promise<string>;
  /** quantité convertie d'une unité à une autre de la même catégorie (identifiants ou eids), arrondie à la cible */
  convertUnits(quantity: string, from: string, to: string): Promise<string>;
  /** valeur effective d'un réglage pour l'appelant */
  setting<T = unknown>(key: string): Promise<T>;
  /** texte traduit du module dans la langue de l'appel (`{nom}` remplacés par `params`) */
  t(key: string, params?: Record<string, string | number>): string;
  log: ModuleLogger;
  /** intelligence locale du cœur (solveur d'optimisation) */
  ai: ModuleAi;
}

/** Erreur métier d'un module : devient une réponse problem+json (422 par défaut) avec un message traduit. */
export class ModuleError extends Error {
  constructor(readonly code: string, message: string, readonly status = 422, readonly field?: string) {
    super(message);
    this.name = 'ModuleError';
  }
}

export interface RecordHookArgs {
  event: RecordEventName;
  entity: string;
  /** valeurs à écrire (crochets « avant ») : modifiables */
  data?: Record<string, unknown>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ctx: ModuleContext;
}

export interface ModuleHook {
  name: string;
  event: RecordEventName;
  entity: string;
  handler(args: RecordHookArgs): void | Promise<void>;
}

/** Crochet sur les écritures d'une entité (la sienne ou celle d'un autre module), dans la transaction de l'écriture. */
export function onRecord(name: string, event: RecordEventName, entity: string, handler: ModuleHook['handler']): ModuleHook {
  return { name, event, entity, handler };
}

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ModuleRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ModuleRoute {
  method: RouteMethod;
  /** chemin sous /api/v1/mod/<module> (syntaxe `:param`) */
  path: string;
  /** permission `entité:action` exigée en plus de l'authentification */
  permission?: string;
  handler(request: ModuleRequest, ctx: ModuleContext): unknown | Promise<unknown>;
}

export function route(method: RouteMethod, path: string, handler: ModuleRoute['handler'], permission?: string): ModuleRoute {
  return { method, path, handler, permission };
}

export interface ModuleTask {
  name: string;
  handler(ctx: ModuleContext): void | Promise<void>;
}

export function defineTask(name: string, handler: ModuleTask['handler']): ModuleTask {
  return { name, handler };
}

/**
 * Outil que l'assistant (et le serveur MCP) peut appeler, avec les droits de l'utilisateur : en lecture seule, ou une
 * action du module (`effect: 'write'`) que l'appel du modèle ne fait que proposer — elle s'exécute quand l'utilisateur
 * confirme.
 */
export interface ModuleAiTool {
  /** nom (snake_case) ; offert au modèle sous `<module>_<nom>` */
  name: string;
  /** ce que fait l'outil et quand s'en servir (lu par le modèle) */
  description: string;
  /** schéma JSON (objet) des arguments ; ils sont validés avant l'appel */
  input: Record<string, unknown>;
  /** permission `entité:action` sans laquelle l'outil n'est pas offert */
  permission?: string;
  /**
   * `read` (défaut) : résultat JSON rendu au modèle, transaction en lecture seule (une écriture y échoue) ;
   * `write` : l'appel devient une proposition, le gestionnaire s'exécute à la confirmation, en écriture
   */
  effect?: 'read' | 'write';
  handler(input: Record<string, unknown>, ctx: ModuleContext): unknown | Promise<unknown>;
}

export function defineAiTool(tool: ModuleAiTool): ModuleAiTool {
  return tool;
}

export interface ModuleDefinition {
  entities?: EntityDefinition[];
  extensions?: EntityExtension[];
  settings?: SettingDeclaration[];
  hooks?: ModuleHook[];
  routes?: ModuleRoute[];
  tasks?: ModuleTask[];
  /** outils de l'assistant d'IA (annoncés dans `aiTools` du manifeste) */
  aiTools?: ModuleAiTool[];
  /** à l'installation dans un tenant (données initiales), dans la transaction de l'installation */
  install?(ctx: ModuleContext): void | Promise<void>;
  /** à la désinstallation dans un tenant, avant la suppression éventuelle des données */
  uninstall?(ctx: ModuleContext, options: { keepData: boolean }): void | Promise<void>;
}

export function defineModule<const T extends ModuleDefinition>(definition: T): T {
  return definition;
}
