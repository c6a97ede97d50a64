// Règles d'automatisation : QUAND un événement d'entité arrive (création, mise à jour — éventuellement d'un champ
// précis —, suppression, restauration, événement d'un module) ET QUE la condition (langage de filtres JSON, évaluée en
// mémoire sur l'enregistrement) est vraie, ALORS les actions s'exécutent dans la transaction de l'écriture.
// Création et mise à jour sont évaluées AVANT l'écriture, sur l'enregistrement tel qu'il sera : les valeurs posées par
// les règles partent avec lui et une création garde son chemin direct (une instruction) ; ce que les actions déposent
// (travaux, courriels, notifications) est validé ou annulé avec l'écriture. Suppression et restauration : après.
// Les règles d'un tenant sont gardées en mémoire par nœud (relues après toute écriture d'une règle, sur tous les nœuds
// par NOTIFY) ; une entité sans règle active garde le chemin direct de création du moteur.
import type { FieldError } from '@opsflux/sdk';
import { sql } from 'kysely';
import { executeAtCommit, type Tx } from '../../db/transaction.js';
import { type RequestContext, systemContext } from '../../engine/context.js';
import { compileFilter, evaluateFilter, FilterError, type ScalarKind } from '../../engine/filter/index.js';
import type { EntityModel } from '../../engine/model.js';
import { PathResolver } from '../../engine/query/resolver.js';
import type { Catalog } from '../../engine/registry.js';
import type { DispatchedEvent, OutboxDispatcher } from '../../events/outbox.js';
import type { HookBus, HookPayload } from '../../events/hooks.js';
import { validationFailed } from '../../errors/problem.js';
import type { Settings } from '../../config/settings.js';
import { message, type Locale } from '../../text/messages.js';
import { isObject, type ActionType, type RuleAction } from './rule-actions.js';
import { checkSetFields } from './set-fields.js';

/** Canal NOTIFY : les règles d'un tenant ont changé. */
export const HOOK_RULES_CHANNEL = 'opsflux_hook_rules';
export const ENTITY_EVENTS = ['created', 'updated', 'deleted', 'restored'] as const;
const CUSTOM_EVENT = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
/**
 * Borne mémoire des règles lues par tenant : le maximum déclaré de `automation.rules.maxPerTenant` (la limite réglée
 * s'applique à la création et à la restauration ; ce plafond technique ne fait que garder la lecture bornée).
 */
const RULES_READ_CEILING = 10_000;

interface Rule {
  id: string;
  name: string;
  entity: string;
  events: Set<string>;
  changedFields: string[];
  condition: unknown;
  actions: RuleAction[];
  /** types des champs de la condition, pour un catalogue donné */
  kinds?: { catalog: Catalog; kinds: Record<string, ScalarKind> };
}

type TenantRules = Map<string, Rule[]>;

export interface HookRulesDeps {
  hooks: HookBus;
  dispatcher: OutboxDispatcher;
  /**
   * Catalogue du tenant lu dans la transaction donnée (celle du répartiteur, déjà dans le tenant) : en ouvrir une autre
   * attendrait sans fin sur PGlite (une connexion).
   */
  catalogIn: (trx: Tx, tenantId: string) => Promise<Catalog>;
  /** lecture dans une transaction du tenant (règles lues hors de toute écriture, avant un import) */
  readInTenant: <T>(tenantId: string, work: (trx: Tx) => Promise<T>) => Promise<T>;
  /** limites `automation.rules.*` du tenant, lues dans la transaction de l'écriture */
  settings: Pick<Settings, 'value'>;
}

export class HookRules {
  /** règles lues, par tenant puis par entité ; absent : pas encore lues sur ce nœud */
  private readonly loaded = new Map<string, TenantRules>();
  private readonly loading = new Map<string, Promise<TenantRules>>();
  private readonly types = new Map<string, ActionType>();

  constructor(private readonly deps: HookRulesDeps) {}

  /** Type d'action (cœur : setFields, job ; services : webhook, email, notify). */
  defineAction(type: string, action: ActionType): void {
    this.types.set(type, action);
  }

  actionTypes(): string[] {
    return [...this.types.keys(), 'setFields'].sort();
  }

  install(): void {
    const { hooks } = this.deps;
    const relevant = (entity: string, tenantId: string | undefined) => {
      const rules = tenantId === undefined ? undefined : this.loaded.get(tenantId);
      return rules === undefined || rules.has(entity);
    };
    hooks.onRelevant('beforeCreate', (p) => this.before(p, 'created'), relevant);
    hooks.onRelevant('beforeUpdate', (p) => this.before(p, 'updated'), relevant);
    hooks.onRelevant('afterUpdate', (p) => (restoredBy(p) ? this.after(p, 'restored') : undefined), relevant);
    hooks.onRelevant('afterDelete', (p) => this.after(p, 'deleted'), relevant);
    hooks.on('beforeCreate', 'hook_rule', async (p) => {
      await this.validate(p);
      await this.checkCount(p, 1);
    });
    hooks.on('beforeUpdate', 'hook_rule', (p) => this.validate(p));
    // une restauration ne passe pas par « avant » : contrôlée après l'écriture, dans sa transaction (annulée si refusée)
    hooks.on('afterUpdate', 'hook_rule', (p) => (restoredBy(p) ? this.checkCount(p, 0) : undefined));
    for (const event of ['afterCreate', 'afterUpdate', 'afterDelete'] as const) {
      hooks.on(event, 'hook_rule', async ({ trx, ctx }) => {
        // ce nœud oublie tout de suite ; les autres (et celui-ci, contre une relecture pendant la transaction) au commit
        this.invalidate(ctx.tenantId);
        await executeAtCommit(trx, sql`SELECT pg_notify(${HOOK_RULES_CHANNEL}, ${ctx.tenantId})`);
      });
    }
    // événements des modules (hors écritures d'entités) : après le commit, par l'outbox
    this.deps.dispatcher.subscribe('*', (event, trx) => this.onCustomEvent(event, trx));
  }

  /** Oublie les règles d'un tenant (ou de tous) : relues à la prochaine écriture. */
  invalidate(tenantId?: string): void {
    if (tenantId) {
      this.loaded.delete(tenantId);
      this.loading.delete(tenantId);
    } else {
      this.loaded.clear();
      this.loading.clear();
    }
  }

  /** Lit les règles du tenant si besoin (avant un import : son chemin direct dépend de leur absence). */
  async prime(tenantId: string): Promise<void> {
    if (!this.loaded.has(tenantId)) await this.deps.readInTenant(tenantId, (trx) => this.rules(trx, tenantId));
  }

  private async rules(trx: Tx, tenantId: string): Promise<TenantRules> {
    const known = this.loaded.get(tenantId);
    if (known) return known;
    let pending = this.loading.get(tenantId);
    if (!pending) {
      pending = this.read(trx).then((rules) => {
        if (this.loading.get(tenantId) === pending) {
          this.loaded.set(tenantId, rules);
          this.loading.delete(tenantId);
        }
        return rules;
      });
      pending.catch(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }
    return pending;
  }

  private async read(trx: Tx): Promise<TenantRules> {
    const { rows } = await sql<{ id: string; name: string; entity: string; events: string[]; changed_fields: string[] | null; condition: unknown; actions: RuleAction[] }>`
      SELECT id, name, entity, events, changed_fields, condition, actions FROM hook_rule
      WHERE deleted_at IS NULL AND active ORDER BY position, created_at LIMIT ${RULES_READ_CEILING}`.execute(trx);
    const byEntity: TenantRules = new Map();
    for (const row of rows) {
      const rule: Rule = {
        id: row.id, name: row.name, entity: row.entity, events: new Set(row.events), changedFields: row.changed_fields ?? [],
        condition: row.condition, actions: Array.isArray(row.actions) ? row.actions : [],
      };
      byEntity.set(rule.entity, [...(byEntity.get(rule.entity) ?? []), rule]);
    }
    return byEntity;
  }

  private async matching(payload: HookPayload, event: string): Promise<Rule[]> {
    if (payload.entity.name === 'hook_rule') return [];
    const rules = (await this.rules(payload.trx, payload.ctx.tenantId)).get(payload.entity.name);
    return rules?.filter((r) => r.events.has(event)) ?? [];
  }

  /**
   * Création, mise à jour : règles évaluées sur l'enregistrement tel qu'il sera ; les valeurs de `setFields` des
   * règles qui tiennent rejoignent l'écriture, puis leurs autres actions s'exécutent sur l'enregistrement final.
   */
  private async before(payload: HookPayload, event: 'created' | 'updated'): Promise<void> {
    const rules = await this.matching(payload, event);
    if (!rules.length || !payload.data) return;
    const future: Record<string, unknown> = { ...payload.before, ...payload.data, id: payload.recordId ?? payload.before?.id };
    const held: Rule[] = [];
    for (const rule of rules) {
      if (!this.holds(rule, payload, future, payload.before && payload.data)) continue;
      held.push(rule);
      for (const action of rule.actions) {
        if (action.type !== 'setFields') continue;
        const { values, errors } = checkSetFields(payload.entity, action.values, payload.ctx.locale);
        if (errors.length) throw ruleRefused(rule.name, errors, payload.ctx.locale);
        Object.assign(payload.data, values);
        Object.assign(future, values);
      }
    }
    for (const rule of held) await this.perform(rule, payload.trx, payload.ctx, payload.entity, `${payload.entity.name}.${event}`, future, payload.before);
  }

  /** Suppression, restauration : après l'écriture, dans sa transaction. */
  private async after(payload: HookPayload, event: 'deleted' | 'restored'): Promise<void> {
    const record = payload.after ?? payload.before!;
    for (const rule of await this.matching(payload, event)) {
      if (this.holds(rule, payload, record)) await this.perform(rule, payload.trx, payload.ctx, payload.entity, `${payload.entity.name}.${event}`, record, payload.before);
    }
  }

  private async perform(rule: Rule, trx: Tx, ctx: RequestContext, entity: EntityModel, topic: string, record: Record<string, unknown>, before?: Record<string, unknown>) {
    for (const action of rule.actions) {
      if (action.type === 'setFields') continue;
      await this.types.get(action.type)?.run(action, { trx, ctx, rule: { id: rule.id, name: rule.name }, entity, topic, record, before });
    }
  }

  /** Champs surveillés écrits avec une autre valeur (mise à jour : `written`) et condition vraie. */
  private holds(rule: Rule, payload: HookPayload, record: Record<string, unknown>, written?: Record<string, unknown>): boolean {
    const changed = (f: string) => Object.hasOwn(written!, f) && JSON.stringify(payload.before![f] ?? null) !== JSON.stringify(written![f] ?? null);
    if (written && rule.changedFields.length && !rule.changedFields.some(changed)) return false;
    if (rule.condition === null || rule.condition === undefined) return true;
    if (rule.kinds?.catalog !== payload.catalog) rule.kinds = { catalog: payload.catalog, kinds: conditionKinds(rule.condition, payload.entity, payload.catalog) };
    return evaluateFilter(rule.condition, record, rule.kinds.kinds);
  }

  /**
   * Événement d'un module, dans la transaction du répartiteur (une seule connexion sur PGlite), qui y a posé le rôle
   * applicatif et le tenant de l'événement : les règles lues sont celles de ce tenant (RLS). Le travail se fait sous
   * un point de sauvegarde pour qu'un échec n'annule pas le lot.
   */
  private async onCustomEvent(event: DispatchedEvent, trx: Tx): Promise<void> {
    const name = event.topic.slice(event.topic.indexOf('.') + 1);
    if ((ENTITY_EVENTS as readonly string[]).includes(name) || name === 'imported') return;
    const ctx = systemContext(event.tenantId, `event-${event.id}`);
    await sql`SAVEPOINT hook_rules`.execute(trx);
    try {
      const candidates = [...(await this.rules(trx, event.tenantId)).values()].flat().filter((r) => r.events.has(event.topic));
      const catalog = candidates.length ? await this.deps.catalogIn(trx, event.tenantId) : undefined;
      for (const rule of candidates) {
        const model = catalog!.get(rule.entity);
        if (!model) continue;
        const record = isObject(event.payload.record) ? event.payload.record : event.payload;
        if (rule.condition && !evaluateFilter(rule.condition, record, conditionKinds(rule.condition, model, catalog!))) continue;
        await this.perform(rule, trx, ctx, model, event.topic, record);
      }
      await sql`RELEASE SAVEPOINT hook_rules`.execute(trx);
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT hook_rules`.execute(trx);
      throw error;
    }
  }

  /** Validation d'une règle à son enregistrement : entité, événements, champs, condition et chaque action. */
  private async validate(payload: HookPayload): Promise<void> {
    const rule = { ...payload.before, ...payload.data };
    // les champs JSON arrivent sérialisés pour leur colonne
    for (const field of ['condition', 'actions']) if (typeof rule[field] === 'string') rule[field] = JSON.parse(rule[field] as string);
    const errors: FieldError[] = [];
    const model = typeof rule.entity === 'string' ? payload.catalog.get(rule.entity) : undefined;
    if (!model) {
      errors.push({ field: 'entity', code: 'unknown_entity', message: `Unknown entity ${String(rule.entity)}` });
      throw validationFailed(errors);
    }
    const events = (rule.events ?? []) as string[];
    if (!events.length) errors.push({ field: 'events', code: 'required', message: 'At least one event' });
    for (const e of events) {
      if (!(ENTITY_EVENTS as readonly string[]).includes(e) && !CUSTOM_EVENT.test(e)) {
        errors.push({ field: 'events', code: 'unknown_event', message: `${e}: use created, updated, deleted, restored or a module event such as crm.deal_won` });
      }
    }
    for (const f of (rule.changedFields ?? []) as string[]) {
      if (!model.byName.has(f)) errors.push({ field: 'changedFields', code: 'unknown_field', message: `${model.name} has no field ${f}` });
    }
    if (rule.condition !== null && rule.condition !== undefined) {
      try {
        conditionKinds(rule.condition, model, payload.catalog);
      } catch (error) {
        if (!(error instanceof FilterError)) throw error;
        errors.push({ field: 'condition', code: error.code, message: `${error.path}: ${error.message}` });
      }
    }
    const actions = rule.actions;
    const maxActions = await this.limit('automation.rules.maxActions', payload);
    if (!Array.isArray(actions) || actions.length === 0 || actions.length > maxActions) {
      errors.push({ field: 'actions', code: 'invalid', message: message(payload.ctx.locale, 'too_many_actions', { max: maxActions }) });
    } else {
      for (const [i, action] of actions.entries()) errors.push(...(await this.validateAction(action, i, model, payload)));
    }
    if (errors.length) throw validationFailed(errors);
  }

  /**
   * Nombre de règles du tenant (actives ou non, hors supprimées) : `adding` règles de plus ne doivent pas dépasser
   * `automation.rules.maxPerTenant` (1 à la création ; 0 après une restauration, déjà comptée).
   */
  private async checkCount(payload: HookPayload, adding: number): Promise<void> {
    const max = await this.limit('automation.rules.maxPerTenant', payload);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM hook_rule WHERE deleted_at IS NULL`.execute(payload.trx);
    if (rows[0]!.n + adding > max) {
      throw validationFailed([{ field: '', code: 'too_many_rules', message: message(payload.ctx.locale, 'too_many_rules', { max }) }]);
    }
  }

  private limit(key: string, payload: HookPayload): Promise<number> {
    return this.deps.settings.value<number>(key, { tenantId: payload.ctx.tenantId }, payload.trx);
  }

  private async validateAction(action: unknown, index: number, model: EntityModel, payload: HookPayload): Promise<FieldError[]> {
    const at = (field: string) => `actions[${index}]${field ? `.${field}` : ''}`;
    if (!isObject(action) || typeof action.type !== 'string') return [{ field: at('type'), code: 'required', message: `One of ${this.actionTypes().join(', ')}` }];
    if (action.type === 'setFields') {
      return checkSetFields(model, action.values, payload.ctx.locale).errors.map((e) => ({ ...e, field: at(e.field ? `values.${e.field}` : 'values') }));
    }
    const type = this.types.get(action.type);
    if (!type) return [{ field: at('type'), code: 'unknown_action', message: `Unknown action ${action.type}: one of ${this.actionTypes().join(', ')}` }];
    const errors = await type.validate(action as RuleAction, model, payload.catalog, payload.ctx, payload.trx);
    return errors.map((e) => ({ ...e, field: at(e.field) }));
  }
}

/** Valeurs d'une règle refusées à l'exécution : l'écriture échoue, chaque champ dit quelle règle le visait. */
function ruleRefused(rule: string, errors: FieldError[], locale: Locale) {
  return validationFailed(errors.map((e) => ({ ...e, message: message(locale, 'rule_value_refused', { rule, reason: e.message }) })));
}

/** Restauration : l'enregistrement était supprimé avant l'écriture. */
function restoredBy(payload: HookPayload): boolean {
  return Boolean(payload.before?.deletedAt) && !payload.after?.deletedAt;
}

/** Types des champs d'une condition (lève FilterError si elle est invalide) ; seulement les champs de l'entité. */
function conditionKinds(condition: unknown, model: EntityModel, catalog: Catalog): Record<string, ScalarKind> {
  const resolver = new PathResolver(model, catalog);
  const kinds: Record<string, ScalarKind> = {};
  compileFilter(condition, {
    resolve: (path) => {
      if (path.includes('.')) throw new FilterError(path, 'unsupported_path', 'Rule conditions use the fields of the entity itself');
      const resolved = resolver.resolveTrusted(path);
      kinds[path] = resolved.kind;
      return resolved;
    },
  });
  return kinds;
}
