// Disposition du voisinage calculée côté serveur (l'application ne charge pas de bibliothèque de graphes) : cercle
// initial déterministe, puis ForceAtlas2 ; l'enregistrement central reste au milieu. Coordonnées ramenées à [0, 1].
import { MultiUndirectedGraph } from 'graphology';
import { circular } from 'graphology-layout';
import forceAtlas2Module from 'graphology-layout-forceatlas2';

// paquet CommonJS typé en `export default` : sous NodeNext, l'import par défaut rend déjà `module.exports`
const forceAtlas2 = forceAtlas2Module as unknown as typeof forceAtlas2Module.default;

const ITERATIONS = 150;

export function layout(ids: string[], edges: Array<{ from: string; to: string }>, center: string): Map<string, { x: number; y: number }> {
  const graph = new MultiUndirectedGraph({ allowSelfLoops: true });
  for (const id of ids) graph.addNode(id);
  for (const edge of edges) graph.addEdge(edge.from, edge.to);
  circular.assign(graph, { scale: 100 });
  graph.mergeNodeAttributes(center, { x: 0, y: 0, fixed: true });
  if (graph.order > 2) forceAtlas2.assign(graph, { iterations: ITERATIONS, settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: false } });
  const xs = graph.mapNodes((_, a) => a.x as number);
  const ys = graph.mapNodes((_, a) => a.y as number);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = (v: number, min: number, max: number) => (max - min < 1e-9 ? 0.5 : Number(((v - min) / (max - min)).toFixed(4)));
  const positions = new Map<string, { x: number; y: number }>();
  graph.forEachNode((id, a) => positions.set(id, { x: scale(a.x as number, minX, maxX), y: scale(a.y as number, minY, maxY) }));
  return positions;
}
