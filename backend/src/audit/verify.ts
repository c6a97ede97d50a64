// Vérification du journal d'audit : recalcule la chaîne de hachage de chaque tenant et signale toute altération.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { inTenant } from '../db/transaction.js';
import { listTenants } from '../core/tenants.js';

export type AuditProblemKind = 'modified' | 'deleted' | 'inserted' | 'reordered' | 'head_mismatch';

export interface AuditProblem {
  tenantId: string;
  lane: number;
  seq: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface TenantAuditReport {
  tenantId: string;
  slug: string;
  rows: number;
  problems: AuditProblem[];
}

export interface AuditReport {
  ok: boolean;
  tenants: TenantAuditReport[];
}

const GENESIS = '0'.repeat(64);
const PAGE = 5000;

interface ChainRow {
  seq: number;
  prev_hash: string;
  hash: string;
  expected: string;
}

/**
 * Parcourt chaque voie (chaîne) du tenant par pages (clé `seq`) en recalculant chaque empreinte en SQL avec la fonction d'écriture.
 * Classement : empreinte recalculée ≠ stockée → « modified » ; trou dans `seq` → « deleted » ; maillon `prev_hash`
 * qui pointe vers une ligne antérieure à la précédente → « reordered », vers rien de connu → « inserted » ;
 * fin de chaîne ≠ tête `audit_head` → « head_mismatch » (suppression ou ajout en queue).
 */
export async function verifyAudit(db: Db, options: { tenant?: string } = {}): Promise<AuditReport> {
  const tenants = (await listTenants(db)).filter((t) => !options.tenant || t.slug === options.tenant || t.id === options.tenant);
  const reports: TenantAuditReport[] = [];
  for (const tenant of tenants) {
    reports.push(await inTenant(db, { tenantId: tenant.id }, async (trx) => {
      const problems: AuditProblem[] = [];
      let rows = 0;
      const { rows: lanes } = await sql<{ lane: number; seq: number | null; hash: string | null }>`
        SELECT l.lane, h.seq, h.hash FROM (SELECT lane FROM audit_head UNION SELECT DISTINCT lane FROM audit_log) l
        LEFT JOIN audit_head h ON h.lane = l.lane ORDER BY l.lane`.execute(trx);
      for (const lane of lanes) {
        const report = (seq: number, kind: AuditProblemKind, detail: string) =>
          problems.push({ tenantId: tenant.id, lane: lane.lane, seq, kind, detail });
        const seen = new Set<string>([GENESIS]);
        let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS };
        for (;;) {
          const page = await sql<ChainRow>`
            SELECT seq, prev_hash, hash,
                   audit_hash(tenant_id, lane, seq, prev_hash, at, actor, action, entity, record_id, changes, request_id, ip) AS expected
            FROM audit_log WHERE lane = ${lane.lane} AND seq > ${previous.seq} ORDER BY seq LIMIT ${PAGE}`.execute(trx);
          for (const row of page.rows) {
            const seq = Number(row.seq);
            rows++;
            if (row.expected !== row.hash) report(seq, 'modified', 'stored hash does not match the row content');
            const gap = seq !== previous.seq + 1;
            if (gap) report(seq, 'deleted', `rows ${previous.seq + 1}–${seq - 1} are missing`);
            // après un trou, le maillon pointe légitimement vers une ligne disparue : le trou suffit à l'expliquer
            if (!gap && row.prev_hash !== previous.hash) {
              if (seen.has(row.prev_hash)) report(seq, 'reordered', 'the row links to an earlier row than its predecessor');
              else report(seq, 'inserted', 'the row links to a hash that is not in the chain');
            }
            seen.add(row.hash);
            previous = { seq, hash: row.hash };
          }
          if (page.rows.length < PAGE) break;
        }
        const head = { seq: Number(lane.seq ?? 0), hash: lane.hash ?? GENESIS };
        if (head.seq !== previous.seq || head.hash !== previous.hash) {
          report(previous.seq, 'head_mismatch', `lane ${lane.lane} ends at ${previous.seq}, its head says ${head.seq}`);
        }
      }
      return { tenantId: tenant.id, slug: tenant.slug, rows, problems };
    }));
  }
  return { ok: reports.every((r) => r.problems.length === 0), tenants: reports };
}
