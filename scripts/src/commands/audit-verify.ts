// `opsflux audit verify` : chaîne ce qui attend encore (arrêt brutal), puis recalcule les chaînes d'audit ; code de
// sortie 1 si une ligne a été modifiée, supprimée, insérée ou déplacée, ou si la protection du journal est désactivée.
import { verifyAudit } from '@opsflux/backend';
import type { CommandContext } from './index.js';
import { count, output, withPlatform } from './open.js';

export async function auditVerify(ctx: CommandContext): Promise<number> {
  const report = await withPlatform(ctx, (platform) => verifyAudit(platform.db, { tenant: ctx.options.tenant }));
  const rows = report.tenants.reduce((n, t) => n + t.rows, 0);
  const problems = report.tenants.reduce((n, t) => n + t.problems.length, 0);
  const lines = report.tenants.flatMap((t) => [
    `${t.slug}: ${count(t.rows, 'chained row')}${t.pending ? ` (+${t.pending} pending)` : ''}, ${t.ok ? 'ok' : count(t.problems.length, 'problem')}`,
    ...t.problems.map((p) => `  ${p.seq === null ? 'audit log' : `row ${p.seq}`}: ${p.kind} — ${p.detail}`),
  ]);
  if (report.chained) lines.unshift(`${count(report.chained, 'row')} written before the last stop chained now`);
  const summary = report.ok
    ? `audit trail intact: ${count(rows, 'row')} in ${count(report.tenants.length, 'tenant')}`
    : `audit trail TAMPERED: ${count(problems, 'problem')} in ${report.tenants.filter((t) => !t.ok).length} of ${count(report.tenants.length, 'tenant')}`;
  output(ctx, report, [...lines, summary]);
  return report.ok ? 0 : 1;
}
