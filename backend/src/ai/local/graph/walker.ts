// Parcours en largeur du graphe des enregistrements, niveau par niveau, COMME l'utilisateur : chaque enregistrement
// ajouté a été lu par le service générique (permissions, règles d'enregistrements, champs masqués) ; une référence
// vers un enregistrement qu'il ne voit pas ne donne ni nœud ni lien. Le graphe reste borné (nœuds au plus).
import type { Tx } from '../../../db/transaction.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService, Row } from '../../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import { LIST_LIMITS } from '../../../engine/query/list.js';
import type { Catalog } from '../../../engine/registry.js';
import { concreteTargets, incomingLinks, linkedIds, outgoingFields } from './links.js';

export interface WalkNode {
  id: string;
  entity: string;
  eid: string;
  label: string;
  depth: number;
}

export interface WalkEdge {
  /** enregistrement qui porte la référence */
  from: string;
  /** enregistrement référencé */
  to: string;
  field: string;
  label: string;
}

export interface WalkerDeps {
  records: RecordService;
  trx: Tx;
  ctx: RequestContext;
  catalog: Catalog;
  maxNodes: number;
}

interface Held extends WalkNode {
  model: EntityModel;
  row: Row;
}

const localeOf = (ctx: RequestContext) => (ctx.locale === 'fr' ? 'fr' : 'en');

export class GraphWalker {
  readonly nodes = new Map<string, Held>();
  readonly edges = new Map<string, WalkEdge>();
  truncated = false;
  private readonly readable: (model: EntityModel) => boolean;

  constructor(private readonly deps: WalkerDeps) {
    this.readable = (model) => deps.records.allowed(deps.ctx, deps.catalog, model.name, 'read');
  }

  /** Premier nœud : l'enregistrement lu comme l'utilisateur (404 s'il ne le voit pas). */
  async start(model: EntityModel, id: string): Promise<WalkNode> {
    const { records, trx, ctx, catalog } = this.deps;
    const row = await records.get(trx, ctx, catalog, model, id.toLowerCase());
    return this.add(model, row, 0)!;
  }

  /** Ajoute le niveau `depth` (voisins des nœuds du niveau précédent) ; faux quand rien de neuf n'est apparu. */
  async step(depth: number): Promise<boolean> {
    const frontier = [...this.nodes.values()].filter((n) => n.depth === depth - 1);
    const before = this.nodes.size;
    const pending: Array<{ from: string; to: string; field: FieldModel; target: string }> = [];
    for (const node of frontier) {
      for (const field of outgoingFields(node.model)) {
        for (const to of linkedIds(field, node.row)) pending.push({ from: node.id, to, field, target: field.def.options!.to! });
      }
    }
    await this.incoming(frontier, depth);
    await this.resolve(pending, depth);
    for (const p of pending) this.link(p.from, p.to, p.field);
    return this.nodes.size > before;
  }

  /** Les nœuds, sans leurs lignes. */
  list(): WalkNode[] {
    return [...this.nodes.values()].map(({ id, entity, eid, label, depth }) => ({ id, entity, eid, label, depth }));
  }

  private get room(): number {
    return Math.max(0, this.deps.maxNodes - this.nodes.size);
  }

  /** Enregistrements qui référencent ceux du front (une requête par champ entrant et par entité du front). */
  private async incoming(frontier: Held[], depth: number): Promise<void> {
    const byEntity = new Map<string, Held[]>();
    for (const node of frontier) byEntity.set(node.entity, [...(byEntity.get(node.entity) ?? []), node]);
    for (const group of byEntity.values()) {
      const ids = group.map((n) => n.id);
      for (const { source, field } of incomingLinks(this.deps.catalog, group[0]!.model, this.readable)) {
        if (this.room === 0) {
          this.truncated = true;
          return;
        }
        const rows = await this.listAs(source, { [field.name]: { in: ids } }, this.room + 1);
        for (const row of rows) {
          const id = String(row.id).toLowerCase();
          if (!this.nodes.has(id) && !this.add(source, row, depth)) continue;
          for (const to of linkedIds(field, row)) if (ids.includes(to)) this.link(id, to, field);
        }
      }
    }
  }

  /** Cibles des références sortantes encore inconnues : relues comme l'utilisateur (invisibles = écartées). */
  private async resolve(pending: Array<{ to: string; target: string }>, depth: number): Promise<void> {
    const byTarget = new Map<string, Set<string>>();
    for (const p of pending) {
      if (this.nodes.has(p.to)) continue;
      byTarget.set(p.target, (byTarget.get(p.target) ?? new Set()).add(p.to));
    }
    for (const [target, wanted] of [...byTarget].sort(([a], [b]) => a.localeCompare(b))) {
      for (const model of concreteTargets(this.deps.catalog, target, this.readable)) {
        const ids = [...wanted].filter((id) => !this.nodes.has(id));
        if (ids.length === 0) break;
        if (this.room === 0) {
          this.truncated = true;
          return;
        }
        for (const row of await this.listAs(model, { id: { in: ids } }, ids.length)) this.add(model, row, depth);
      }
    }
  }

  private async listAs(model: EntityModel, filter: Record<string, unknown>, limit: number): Promise<Row[]> {
    const { records, trx, ctx, catalog } = this.deps;
    const fields = [...new Set(['eid', ...(model.display && model.byName.has(model.display) ? [model.display] : []), ...outgoingFields(model).map((f) => f.name)])];
    const result = await records.list(trx, ctx, catalog, model, { filter, fields, sort: 'id', limit: Math.min(limit, LIST_LIMITS.maxLimit) });
    return result.data;
  }

  private add(model: EntityModel, row: Row, depth: number): Held | undefined {
    const id = String(row.id).toLowerCase();
    const known = this.nodes.get(id);
    if (known) return known;
    if (this.nodes.size >= this.deps.maxNodes) {
      this.truncated = true;
      return undefined;
    }
    const display = model.display ? row[model.display] : undefined;
    const eid = String(row.eid ?? '');
    const node: Held = { id, entity: model.name, eid, label: display === undefined || display === null || display === '' ? eid : String(display), depth, model, row };
    this.nodes.set(id, node);
    return node;
  }

  private link(from: string, to: string, field: FieldModel): void {
    if (!this.nodes.has(from) || !this.nodes.has(to)) return;
    const key = `${from}|${field.name}|${to}`;
    if (this.edges.has(key)) return;
    const label = field.def.label?.[localeOf(this.deps.ctx)] ?? field.def.label?.en ?? field.name;
    this.edges.set(key, { from, to, field: field.name, label });
  }
}
