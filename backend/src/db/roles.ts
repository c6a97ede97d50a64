// Rôle applicatif : ni superutilisateur, ni propriétaire des tables ; chaque transaction de requête le prend.
export const APP_ROLE = 'opsflux_app';

/** Politique RLS standard d'une table de tenant (USING et WITH CHECK). */
export function tenantPolicySql(table: string): string[] {
  const t = `"${table}"`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS tenant_isolation ON ${t}`,
    `CREATE POLICY tenant_isolation ON ${t} USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))`,
  ];
}
