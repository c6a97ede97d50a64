// Différence champ par champ entre deux états d'un enregistrement (journal d'audit, historique).
import type { Changes } from '../../audit/writer.js';

const SKIPPED = new Set(['version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy', 'id']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return new Date(a as string).getTime() === new Date(b as string).getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [key, to] of Object.entries(after)) {
    if (SKIPPED.has(key)) continue;
    const from = before ? (before[key] ?? null) : null;
    if (before === null && to === null) continue;
    if (!same(from, to)) changes[key] = { from: plain(from), to: plain(to) };
  }
  return changes;
}
