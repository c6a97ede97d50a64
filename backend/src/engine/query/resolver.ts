// Résolution des chemins de champs (filtres, tris) : champs système, champs, sous-champs, et `ref` suivis par jointure.
import { sql, type RawBuilder } from 'kysely';
import { FilterError, type ResolvedPath, type ScalarKind } from '../filter/types.js';
import type { EntityModel, FieldModel } from '../model.js';
import type { Catalog } from '../registry.js';
import { fieldValueSql, ownerModel, SYSTEM_PROJECTION } from './projection.js';

const SYSTEM_KINDS: Record<string, ScalarKind> = {
  id: 'uuid', eid: 'string', version: 'integer', createdAt: 'datetime', updatedAt: 'datetime', deletedAt: 'datetime',
  createdBy: 'uuid', updatedBy: 'uuid', deletedBy: 'uuid', companyId: 'uuid', siteId: 'uuid',
};

const KINDS: Partial<Record<FieldModel['type'], ScalarKind>> = {
  string: 'string', text: 'string', email: 'string', phone: 'string', url: 'string', enum: 'string',
  integer: 'integer', decimal: 'decimal', boolean: 'boolean', date: 'date', datetime: 'datetime',
  json: 'json', translatable: 'json', ref: 'uuid', file: 'uuid', tags: 'tags', refs: 'tags',
};

// références suivies dans un chemin de filtre : borne les jointures (le coût) d'une requête, pas un réglage
const MAX_HOPS = 3;

export type FieldVisibility = (entity: EntityModel, field: FieldModel) => boolean;

/** Résout les chemins d'une requête et accumule les jointures nécessaires. */
export class PathResolver {
  private readonly joins: RawBuilder<unknown>[] = [];
  private readonly joined = new Map<string, string>();

  constructor(
    private readonly root: EntityModel,
    private readonly catalog: Catalog,
    private readonly visible: FieldVisibility = () => true,
  ) {}

  joinSql(): RawBuilder<unknown> {
    return sql.join(this.joins, sql``);
  }

  /** Chemin d'une requête de l'appelant : champs masqués inconnus. */
  resolve = (path: string): ResolvedPath => this.walk(path, false);

  /**
   * Chemin d'une règle d'enregistrements : résolu sur les modèles complets, champs masqués à l'appelant compris
   * (la règle est écrite par un administrateur ; sa valeur n'est jamais renvoyée).
   */
  resolveTrusted = (path: string): ResolvedPath => this.walk(path, true);

  private walk(path: string, trusted: boolean): ResolvedPath {
    const segments = path.split('.');
    const view = (m: EntityModel) => (trusted ? (m.full ?? m) : m);
    let model = view(this.root);
    let prefix = 't';
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i]!;
      const rest = segments.length - i - 1;
      const sys = SYSTEM_PROJECTION.find(([n]) => n === name);
      if (sys && rest === 0) {
        return { expr: sql.ref(`${prefix}0.${sys[1]}`), kind: SYSTEM_KINDS[name]!, fieldType: 'system' };
      }
      const field = model.byName.get(name);
      if (!field || field.def.internal || field.def.writeOnly || (!trusted && !this.visible(model, field))) throw unknownField(path);
      const alias = `${prefix}${field.alias.slice(1)}`;
      const located: FieldModel = { ...field, alias };
      if (field.type === 'ref' && rest > 0) {
        if (i + 1 > MAX_HOPS) throw new FilterError(path, 'invalid_filter', `Path ${path} follows too many references`);
        const target = this.catalog.get(field.def.options?.to ?? '');
        if (!target) throw unknownField(path);
        prefix = this.joinRef(located, target, segments.slice(0, i + 1).join('.'));
        model = view(target);
        continue;
      }
      return this.leaf(model, located, path, segments.slice(i + 1));
    }
    throw unknownField(path);
  }

  private leaf(model: EntityModel, field: FieldModel, path: string, sub: string[]): ResolvedPath {
    if (sub.length === 0) {
      if (field.type === 'money') {
        return { expr: sql.ref(`${field.alias}.${field.column}_amount`), kind: 'decimal', fieldType: 'money' };
      }
      if (field.type === 'computed') {
        const returns = field.def.options?.returns ?? 'string';
        return { expr: fieldValueSql(field), kind: returns as ScalarKind, fieldType: 'computed' };
      }
      const kind = KINDS[field.type];
      if (!kind) throw unknownField(path);
      const expr = fieldValueSql(field, ownerModel(model, field));
      return { expr, kind, fieldType: field.type, enumValues: field.def.options?.values };
    }
    if (sub.length === 1 && field.type === 'money' && (sub[0] === 'amount' || sub[0] === 'currency')) {
      const kind: ScalarKind = sub[0] === 'amount' ? 'decimal' : 'string';
      return { expr: sql.ref(`${field.alias}.${field.column}_${sub[0]}`), kind, fieldType: 'money' };
    }
    if (sub.length === 1 && field.type === 'translatable' && /^[a-z]{2}(-[A-Z]{2})?$/.test(sub[0]!)) {
      return { expr: sql`(${sql.ref(`${field.alias}.${field.column}`)} ->> ${sub[0]})`, kind: 'string', fieldType: 'translatable' };
    }
    throw unknownField(path);
  }

  /** LEFT JOIN de la cible d'un `ref` (et de ses tables parentes) ; renvoie le préfixe d'alias de la cible. */
  private joinRef(field: FieldModel, target: EntityModel, key: string): string {
    const existing = this.joined.get(key);
    if (existing) return existing;
    const prefix = `j${this.joined.size + 1}_t`;
    this.joined.set(key, prefix);
    const source = sql.ref(`${field.alias}.${field.column}`);
    for (const link of target.chain) {
      const alias = `${prefix}${link.alias.slice(1)}`;
      const on = link.alias === 't0'
        ? sql`${sql.ref(`${alias}.id`)} = ${source} AND ${sql.ref(`${alias}.tenant_id`)} = t0.tenant_id`
        : sql`${sql.ref(`${alias}.id`)} = ${sql.ref(`${prefix}0.id`)} AND ${sql.ref(`${alias}.tenant_id`)} = t0.tenant_id`;
      this.joins.push(sql` LEFT JOIN ${sql.table(link.table)} AS ${sql.raw(alias)} ON ${on}`);
    }
    return prefix;
  }
}

export function unknownField(path: string): FilterError {
  return new FilterError(path, 'unknown_field', `Unknown field "${path}"`);
}
