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
  /**
   * valeurs à écrire (par nom de champ, sous leur forme validée : json en texte JSON) : un crochet « avant » peut les
   * modifier, champs en lecture seule et internes compris ; ce qu'il y laisse est validé comme une saisie
   */
  data?: Record<string, unknown>;
  /** enregistrement avant l'opération (mise à jour, suppression) */
  before?: Record<string, unknown>;
  /** enregistrement après l'opération (crochets « après ») */
  after?: Record<string, unknown>;
  /** id de l'enregistrement écrit (connu dès les crochets « avant », création comprise) */
  recordId?: string;
}

export type Hook = (payload: HookPayload) => void | Promise<void>;

/** Crochet qui ne concerne que certaines entités d'un tenant (règles configurées) : décidé sans attendre. */
export type Relevance = (entity: string, tenantId: string | undefined) => boolean;

export class HookBus {
  private readonly hooks = new Map<string, Hook[]>();
  private readonly dynamic: Array<{ event: HookEvent; hook: Hook; relevant: Relevance }> = [];

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

  /**
   * Crochet de toutes les entités, mais seulement là où `relevant` le dit : une entité sans règle garde le chemin direct
   * de création (une instruction). `relevant` doit répondre vrai tant qu'il ne sait pas (règles du tenant pas encore lues).
   */
  onRelevant(event: HookEvent, hook: Hook, relevant: Relevance): () => void {
    const entry = { event, hook, relevant };
    this.dynamic.push(entry);
    return () => {
      const i = this.dynamic.indexOf(entry);
      if (i >= 0) this.dynamic.splice(i, 1);
    };
  }

  /** Un crochet s'applique-t-il ? Sans tenant, un crochet dynamique compte dès qu'il pourrait s'appliquer. */
  has(event: HookEvent, entity: string, tenantId?: string): boolean {
    if (this.hooks.get(`${event}:${entity}`)?.length || this.hooks.get(`${event}:*`)?.length) return true;
    return this.dynamic.some((d) => d.event === event && d.relevant(entity, tenantId));
  }

  /** Exécute les crochets dans l'ordre d'inscription ; une exception (ProblemError) annule l'opération. */
  async run(payload: HookPayload): Promise<void> {
    const list = [...(this.hooks.get(`${payload.event}:*`) ?? []), ...(this.hooks.get(`${payload.event}:${payload.entity.name}`) ?? [])];
    for (const hook of list) await hook(payload);
    for (const d of this.dynamic) if (d.event === payload.event && d.relevant(payload.entity.name, payload.ctx.tenantId)) await d.hook(payload);
  }
}
