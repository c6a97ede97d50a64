// Bus de crochets synchrones : avant/après création, mise à jour, suppression ; un crochet « avant » peut refuser.
import type { Tx } from '../db/transaction.js';
import type { RequestContext } from '../engine/context.js';
import type { EntityModel } from '../engine/model.js';
import type { Catalog } from '../engine/registry.js';

export type HookEvent =
  | 'beforeCreate' | 'afterCreate' | 'beforeUpdate' | 'afterUpdate' | 'beforeDelete' | 'afterDelete';

export interface HookPayload {
  event: HookEvent;
  ctx: RequestContext;
  trx: Tx;
  /** catalogue du tenant pour cette écriture (modules actifs compris) */
  catalog: Catalog;
  entity: EntityModel;
  /** valeurs à écrire (par nom de champ) : un crochet « avant » peut les modifier */
  data?: Record<string, unknown>;
  /** enregistrement avant l'opération (mise à jour, suppression) */
  before?: Record<string, unknown>;
  /** enregistrement après l'opération (crochets « après ») */
  after?: Record<string, unknown>;
}

export type Hook = (payload: HookPayload) => void | Promise<void>;

export class HookBus {
  private readonly hooks = new Map<string, Hook[]>();

  /** `entity` = nom d'entité ou `*` pour toutes ; renvoie la fonction de désinscription. */
  on(event: HookEvent, entity: string, hook: Hook): () => void {
    const key = `${event}:${entity}`;
    const list = this.hooks.get(key) ?? [];
    list.push(hook);
    this.hooks.set(key, list);
    return () => {
      const current = this.hooks.get(key) ?? [];
      this.hooks.set(key, current.filter((h) => h !== hook));
    };
  }

  has(event: HookEvent, entity: string): boolean {
    return Boolean(this.hooks.get(`${event}:${entity}`)?.length || this.hooks.get(`${event}:*`)?.length);
  }

  /** Exécute les crochets dans l'ordre d'inscription ; une exception (ProblemError) annule l'opération. */
  async run(payload: HookPayload): Promise<void> {
    const list = [...(this.hooks.get(`${payload.event}:*`) ?? []), ...(this.hooks.get(`${payload.event}:${payload.entity.name}`) ?? [])];
    for (const hook of list) await hook(payload);
  }
}
