// Parcours en largeur du graphe des enregistrements, niveau par niveau, COMME l'utilisateur : chaque enregistrement
// ajouté a été lu par le service générique (permissions, règles d'enregistrements, champs masqués) ; une référence
// vers un enregistrement qu'il ne voit pas ne donne ni nœud ni lien. Le graphe reste borné (nœuds au plus).
// Trois sortes de liens : les références (ref, refs), les rattachements (pièce jointe, lecture de document : entité
// `attachedTo`, co-occurrence dans les documents) et les mentions reconnues dans les champs de texte (analyse NLP).
import type { Tx } from '../../../db/transaction.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService, Row } from '../../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import { LIST_LIMITS } from '../../../engine/query/list.js';
import type { Catalog } from '../../../engine/registry.js';
import { attachedLinks, attachedTarget, concreteTargets, incomingLinks, linkedIds, outgoingFields } from './links.js';
import { mentionsAround } from './mentions.js';

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

interface Pending {
  from: string;
  to: string;
  /** entité où chercher `to` */
  target: string;
  name: string;
  label: string;
}

const localeOf = (ctx: RequestContext) => (ctx.locale === 'fr' ? 'fr' : 'en');
const LINK_WORDS = { attached: { en: 'Attached to', fr: 'Joint à' }, mentions: { en: 'Mentions', fr: 'Mentionne' } } as const;

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
    const pending: Pending[] = [];
    for (const node of frontier) {
      for (const field of outgoingFields(node.model)) {
        for (const to of linkedIds(field, node.row)) pending.push({ from: node.id, to, target: field.def.options!.to!, name: field.name, label: this.fieldLabel(field) });
      }
      const attached = attachedTarget(node.model, node.row);
      if (attached) pending.push({ from: node.id, ...attached, name: node.model.attachedTo!.recordId, label: this.word('attached') });
    }
    await this.incoming(frontier, depth);
    await this.attachedFrom(frontier, depth);
    pending.push(...await this.mentions(frontier, depth));
    await this.resolve(pending, depth);
    for (const p of pending) this.link(p.from, p.to, p.name, p.label);
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
          for (const to of linkedIds(field, row)) if (ids.includes(to)) this.link(id, to, field.name, this.fieldLabel(field));
        }
      }
    }
  }

  /** Enregistrements joints à ceux du front (pièces jointes, lectures de documents) : une requête par entité jointe. */
  private async attachedFrom(frontier: Held[], depth: number): Promise<void> {
    const links = attachedLinks(this.deps.catalog, this.readable);
    for (const entity of new Set(frontier.map((n) => n.entity))) {
      const ids = frontier.filter((n) => n.entity === entity).map((n) => n.id);
      for (const source of links) {
        if (this.room === 0) {
          this.truncated = true;
          return;
        }
        const { entity: entityField, recordId } = source.attachedTo!;
        for (const row of await this.listAs(source, { [entityField]: { eq: entity }, [recordId]: { in: ids } }, this.room + 1)) {
          const node = this.nodes.get(String(row.id).toLowerCase()) ?? this.add(source, row, depth);
          const to = attachedTarget(source, row);
          if (node && to) this.link(node.id, to.to, recordId, this.word('attached'));
        }
      }
    }
  }

  /**
   * Mentions des champs de texte analysés : celles du front partent vers le cité (à lire comme l'utilisateur), celles
   * qui visent le front font lire l'enregistrement qui cite. Un champ masqué à l'utilisateur ne relie rien.
   */
  private async mentions(frontier: Held[], depth: number): Promise<Pending[]> {
    const inFrontier = new Set(frontier.map((n) => n.id));
    const outgoing: Pending[] = [];
    const citing = new Map<string, Pending[]>();
    for (const m of await mentionsAround(this.deps.trx, [...inFrontier])) {
      const source = this.deps.catalog.get(m.entity);
      const field = source?.byName.get(m.field);
      if (!source || !field) continue;
      const mention: Pending = { from: m.recordId, to: m.targetId, target: m.targetEntity, name: m.field, label: `${this.word('mentions')} (${this.fieldLabel(field)})` };
      if (inFrontier.has(m.recordId)) outgoing.push(mention);
      else if (this.readable(source)) citing.set(m.entity, [...(citing.get(m.entity) ?? []), mention]);
    }
    for (const [entity, mentions] of citing) {
      const ids = [...new Set(mentions.map((m) => m.from))].filter((id) => !this.nodes.has(id));
      if (!ids.length) continue;
      if (this.room === 0) {
        this.truncated = true;
        break;
      }
      const source = this.deps.catalog.get(entity)!;
      for (const row of await this.listAs(source, { id: { in: ids } }, ids.length)) this.add(source, row, depth);
    }
    return [...outgoing, ...[...citing.values()].flat()];
  }

  /** Cibles des références sortantes encore inconnues : relues comme l'utilisateur (invisibles = écartées). */
  private async resolve(pending: Pending[], depth: number): Promise<void> {
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
    const attached = model.attachedTo ? [model.attachedTo.entity, model.attachedTo.recordId] : [];
    const fields = [...new Set(['eid', ...(model.display && model.byName.has(model.display) ? [model.display] : []), ...outgoingFields(model).map((f) => f.name), ...attached])];
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

  private link(from: string, to: string, name: string, label: string): void {
    if (!this.nodes.has(from) || !this.nodes.has(to) || from === to) return;
    const key = `${from}|${name}|${to}`;
    if (!this.edges.has(key)) this.edges.set(key, { from, to, field: name, label });
  }

  private fieldLabel(field: FieldModel): string {
    return field.def.label?.[localeOf(this.deps.ctx)] ?? field.def.label?.en ?? field.name;
  }

  private word(kind: keyof typeof LINK_WORDS): string {
    return LINK_WORDS[kind][localeOf(this.deps.ctx)];
  }
}
