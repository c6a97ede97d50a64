// Plus de clé étrangère vers `tenant` : chaque écriture la vérifiait en verrouillant (FOR KEY SHARE) l'unique ligne
// du tenant, point de contention de toutes les transactions concurrentes d'un tenant (MultiXact). L'appartenance est
// garantie autrement : la politique RLS (WITH CHECK) impose tenant_id = tenant de la session, posé par la plateforme
// depuis un jeton vérifié, et un tenant n'est jamais supprimé (suspendu seulement). Voir ADR 0009.
import type { Migration } from './runner.js';

export const noTenantForeignKeys: Migration = {
  version: 6,
  name: 'no-tenant-foreign-keys',
  statements: [
    `DO $$
     DECLARE c record;
     BEGIN
       FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
                WHERE contype = 'f' AND confrelid = 'tenant'::regclass LOOP
         EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
       END LOOP;
     END $$`,
  ],
};
