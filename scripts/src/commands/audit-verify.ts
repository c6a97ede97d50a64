import { verifyAudit } from '@opsflux/backend/audit/verify.ts';
import type { CommandContext } from './index.js';
import { output, withPlatform } from './open.js';

/** Vérifie la chaîne d'audit ; code de sortie 1 si une ligne a été modifiée, supprimée, insérée ou déplacée. */
export async function auditVerify(ctx: CommandContext): Promise<number> {
  const tenant = typeof ctx.options.tenant === 'string' ? ctx.options.tenant : undefined;
  const report = await withPlatform(ctx, (platform) => verifyAudit(platform.db, { tenant }));
  const lines = report.tenants.flatMap((t) => [
    `${t.slug}: ${t.rows} rows, ${t.problems.length ? `${t.problems.length} problem(s)` : 'ok'}`,
    ...t.problems.map((p) => `  seq ${p.seq}: ${p.kind} — ${p.detail}`),
  ]);
  output(ctx, report, [...lines, report.ok ? 'audit trail verified: intact' : 'audit trail verification FAILED']);
  return report.ok ? 0 : 1;
}
