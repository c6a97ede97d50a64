// Base à soi pour un test qui change ce qui est commun à toute la plateforme (clés, réglages de plateforme) : les
// autres fichiers de test partagent la base du serveur et ne doivent pas le voir. Sur le serveur, une base neuve créée
// puis supprimée ici ; sans serveur, ou quand le rôle du test ne peut pas créer de base (passe du propriétaire non
// superutilisateur), PGlite en mémoire (url absente).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface OwnDatabase {
  /** postgres://… de la base neuve ; undefined : PGlite en mémoire */
  url?: string;
  drop(): Promise<void>;
}

export async function ownDatabase(): Promise<OwnDatabase> {
  const shared = process.env.OPSFLUX_TEST_DATABASE_URL;
  if (!shared) return { drop: async () => undefined };
  const name = `opsflux_own_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    if ((error as { code?: string }).code === '42501') return { drop: async () => undefined }; // pas le droit CREATEDB
    throw error;
  }
  await admin.end();
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: shared });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
