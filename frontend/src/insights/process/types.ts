// Forme de la réponse de /ai/process.
export interface ProcessEdge {
  from: string;
  to: string;
  count: number;
  meanMs: number | null;
  medianMs: number | null;
}

export interface ProcessResult {
  entity: string;
  field: string;
  cases: number;
  transitions: number;
  truncated: boolean;
  labels: Record<string, string>;
  states: Array<{ state: string; cases: number; starts: number; ends: number; rank: number }>;
  edges: ProcessEdge[];
  variants: Array<{ path: string[]; count: number; share: number }>;
  bottlenecks: ProcessEdge[];
  conformance: null | { source: 'request' | 'setting'; fitting: number; fittingCases: number; deviations: Array<{ from: string; to: string; count: number; recordIds: string[] }> };
}
