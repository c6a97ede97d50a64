// Rôles de la base. Le propriétaire (l'utilisateur de DATABASE_URL, superutilisateur sur PGlite) ne sert qu'aux
// migrations et au DDL ; tout le reste s'exécute sous l'un des deux rôles ci-dessous (ADR 0023).

/** Données des tenants : ni superutilisateur, ni propriétaire ; RLS sur `app.tenant_id`. */
export const APP_ROLE = 'opsflux_app';

/**
 * Infrastructure commune aux tenants (files des travaux et de l'outbox, chaînage de l'audit, registres de la
 * plateforme) : aucun droit sur les tables des entités, donc aucune donnée métier lisible par erreur.
 */
export const PLATFORM_ROLE = 'opsflux_platform';

/** Politique RLS standard d'une table de tenant (USING et WITH CHECK). */
export function tenantPolicySql(table: string, column = 'tenant_id'): string[] {
  const t = `"${table}"`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS tenant_isolation ON ${t}`,
    `CREATE POLICY tenant_isolation ON ${t} USING (${column} = (SELECT app_tenant())) WITH CHECK (${column} = (SELECT app_tenant()))`,
  ];
}

/** Accès complet du rôle de plateforme à une table sous RLS (files et registres communs à tous les tenants). */
export function platformPolicySql(table: string): string[] {
  const t = `"${table}"`;
  return [
    `DROP POLICY IF EXISTS platform_access ON ${t}`,
    `CREATE POLICY platform_access ON ${t} TO ${PLATFORM_ROLE} USING (true) WITH CHECK (true)`,
  ];
}
