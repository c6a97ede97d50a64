// Actions des règles d'automatisation : chaque type se valide à l'enregistrement de la règle et s'exécute dans la
// transaction de l'écriture qui la déclenche (ce qu'il dépose — travail, courriel, notification, livraison — n'existe
// que si l'écriture est validée). `setFields` est à part : il s'applique avant l'écriture.
import type { FieldError } from '@opsflux/sdk';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import { mapStrings } from '../../text/map-strings.js';

export type RuleAction = Record<string, unknown> & { type: string };

export interface ActionRun {
  trx: Tx;
  /** contexte de l'écriture déclenchante */
  ctx: RequestContext;
  rule: { id: string; name: string };
  entity: EntityModel;
  /** `customer.created`, `crm.deal_won`… */
  topic: string;
  record: Record<string, unknown>;
  before?: Record<string, unknown>;
}

export interface ActionType {
  /** erreurs de l'action (champ relatif à l'action : `webhook`, `to`…) */
  validate(action: RuleAction, entity: EntityModel, catalog: Catalog, ctx: RequestContext, trx: Tx): Promise<FieldError[]> | FieldError[];
  run(action: RuleAction, run: ActionRun): Promise<void>;
}

/** Remplace `{{champ}}` par la valeur du champ de l'enregistrement (texte brut ; l'échappement revient au canal). */
export function fillTemplate(template: string, record: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const value = record[name];
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Les chaînes d'un objet d'action, gabarits remplis (titres, corps, variables de courriel). */
export function fillStrings<T>(value: T, record: Record<string, unknown>): T {
  return mapStrings(value, (text) => fillTemplate(text, record));
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Erreur d'un champ de l'action. */
export const actionError = (field: string, code: string, message: string): FieldError => ({ field, code, message });
