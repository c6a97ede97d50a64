// Forme des réponses de /ai/graph/neighbours.
export interface GraphNode {
  id: string;
  entity: string;
  entityLabel: string;
  eid: string;
  label: string;
  depth: number;
  x?: number;
  y?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  field: string;
  label: string;
  direction: 'out' | 'in';
}

export interface Neighbourhood {
  center: string;
  depth: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}
