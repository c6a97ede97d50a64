// Graphe des enregistrements et de leurs références, construit à la demande COMME l'utilisateur (voir walker.ts) :
// voisinage d'un enregistrement (disposé pour le dessin) et plus court chemin entre deux enregistrements.
import { MultiUndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path';
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService } from '../../../engine/crud/service.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';
import { ProblemError } from '../../../errors/problem.js';
import { message } from '../../../text/messages.js';
import { layout } from './layout.js';
import { GraphWalker, type WalkEdge, type WalkNode } from './walker.js';

export interface KnowledgeGraphDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  settings: Settings;
}

export interface GraphNode extends WalkNode {
  entityLabel: string;
  x?: number;
  y?: number;
}

export interface GraphEdge extends WalkEdge {
  /** `out` : le nœud le plus proche du centre porte la référence ; `in` : il est référencé */
  direction: 'out' | 'in';
}

export interface Neighbourhood {
  center: string;
  depth: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface RecordPath {
  from: string;
  to: string;
  length: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface RecordRef {
  entity: string;
  id: string;
}

export class KnowledgeGraph {
  constructor(private readonly deps: KnowledgeGraphDeps) {}

  /** L'utilisateur lit-il au moins une entité (sinon l'outil ne lui est pas offert) ? */
  usable(ctx: RequestContext, catalog: Catalog): boolean {
    return catalog.all().some((m) => this.deps.records.allowed(ctx, catalog, m.name, 'read'));
  }

  /** Voisinage d'un enregistrement jusqu'à `depth` liens (borné par les réglages). */
  async neighbours(ctx: RequestContext, start: RecordRef, depth?: number): Promise<Neighbourhood> {
    const [maxDepth, maxNodes] = await this.limits(ctx, 'ai.local.graph.maxDepth', 'ai.local.graph.maxNodes');
    const wanted = depth ?? 1;
    if (wanted > maxDepth) throw tooDeep(ctx, 'depth', maxDepth, 'ai.local.graph.maxDepth');
    return this.walk(ctx, start, maxNodes, async (walker, center) => {
      for (let level = 1; level <= wanted; level++) if (!(await walker.step(level))) break;
      const edges = withDirections(walker);
      const positions = layout(walker.list().map((n) => n.id), edges, center.id);
      const catalog = await this.deps.catalogFor(ctx);
      const nodes = walker.list().map((n) => ({ ...named(ctx, catalog, n), ...positions.get(n.id) }));
      return { center: center.id, depth: wanted, nodes, edges, truncated: walker.truncated };
    });
  }

  /** Plus court chemin entre deux enregistrements, dans `maxDepth` liens (404 `no_path` sinon). */
  async path(ctx: RequestContext, from: RecordRef, to: RecordRef, maxDepth?: number): Promise<RecordPath> {
    const [limit, maxNodes] = await this.limits(ctx, 'ai.local.graph.maxPathDepth', 'ai.local.graph.maxPathNodes');
    const wanted = maxDepth ?? limit;
    if (wanted > limit) throw tooDeep(ctx, 'maxDepth', limit, 'ai.local.graph.maxPathDepth');
    return this.walk(ctx, from, maxNodes, async (walker, start, catalog, trx) => {
      // la cible doit être visible de l'utilisateur (404 sinon, comme une fiche)
      const target = this.deps.records.entity(ctx, catalog, to.entity, 'read');
      const end = await this.deps.records.get(trx, ctx, catalog, target, to.id.toLowerCase());
      const endId = String(end.id);
      for (let level = 1; level <= wanted && !walker.nodes.has(endId); level++) if (!(await walker.step(level))) break;
      if (!walker.nodes.has(endId)) throw new ProblemError(404, 'no_path', message(ctx.locale, 'graph_no_path', { max: wanted }));
      const graph = new MultiUndirectedGraph();
      for (const node of walker.list()) graph.addNode(node.id);
      for (const edge of walker.edges.values()) graph.addEdge(edge.from, edge.to);
      const ids = bidirectional(graph, start.id, endId);
      if (!ids) throw new ProblemError(404, 'no_path', message(ctx.locale, 'graph_no_path', { max: wanted }));
      const edges = withDirections(walker).filter((e) => ids.some((id, i) => i > 0 && pair(e, ids[i - 1]!, id)));
      const steps = ids.slice(1).map((id, i) => edges.find((e) => pair(e, ids[i]!, id))!);
      const nodes = ids.map((id) => named(ctx, catalog, walker.nodes.get(id)!));
      return { from: start.id, to: endId, length: ids.length - 1, nodes, edges: steps };
    });
  }

  private async walk<T>(
    ctx: RequestContext, start: RecordRef, maxNodes: number,
    work: (walker: GraphWalker, center: WalkNode, catalog: Catalog, trx: Parameters<Parameters<TenantTx>[1]>[0]) => Promise<T>,
  ): Promise<T> {
    const catalog = await this.deps.catalogFor(ctx);
    const model = this.deps.records.entity(ctx, catalog, start.entity, 'read');
    return this.deps.tenantTx(ctx, async (trx) => {
      const walker = new GraphWalker({ records: this.deps.records, trx, ctx, catalog, maxNodes });
      const center = await walker.start(model, start.id);
      return work(walker, center, catalog, trx);
    });
  }

  private limits(ctx: RequestContext, ...keys: string[]): Promise<number[]> {
    return Promise.all(keys.map((key) => this.deps.settings.value<number>(key, { tenantId: ctx.tenantId })));
  }
}

const pair = (e: WalkEdge, a: string, b: string) => (e.from === a && e.to === b) || (e.from === b && e.to === a);

function tooDeep(ctx: RequestContext, field: string, max: number, setting: string): ProblemError {
  return new ProblemError(400, 'validation_failed', 'One or more fields are invalid.', [
    { field, code: 'too_large', message: message(ctx.locale, 'graph_too_deep', { max, setting }) },
  ]);
}

/** Sens de chaque lien vu du centre : du nœud le plus proche vers le plus lointain. */
function withDirections(walker: GraphWalker): GraphEdge[] {
  return [...walker.edges.values()].map((edge) => {
    const from = walker.nodes.get(edge.from)!.depth;
    const to = walker.nodes.get(edge.to)!.depth;
    return { ...edge, direction: from <= to ? 'out' : 'in' };
  });
}

function named(ctx: RequestContext, catalog: Catalog, node: WalkNode): GraphNode {
  const label = catalog.get(node.entity)?.label;
  const { id, entity, eid, label: text, depth } = node;
  return { id, entity, eid, label: text, depth, entityLabel: label?.[ctx.locale === 'fr' ? 'fr' : 'en'] ?? label?.en ?? entity };
}
