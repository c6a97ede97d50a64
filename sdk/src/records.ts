// Types publics de l'API générique des enregistrements.

export interface SystemColumns {
  id: string;
  eid: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  deletedAt?: string | null;
  deletedBy?: string | null;
}

export type RecordData = SystemColumns & Record<string, unknown>;

export interface ListResponse<T = RecordData> {
  data: T[];
  meta: { nextCursor: string | null; count?: number };
}

export type FilterOperator =
  | 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 'like' | 'ilike' | 'null' | 'between';

export interface HistoryEntry {
  action: string;
  at: string;
  actor: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}
