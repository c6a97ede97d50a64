// Secrets de la plateforme (signature JWT, curseurs, chiffrement) : variables d'environnement, sinon générés une fois et gardés en base.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { SecretBox } from './secret-box.js';

export interface Secrets {
  jwt: Buffer;
  cursor: Buffer;
  /** clé de chiffrement des secrets stockés (32 octets) */
  encryption: Buffer;
}

async function secret(db: Db, name: string, fromEnv: string | undefined): Promise<Buffer> {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  await sql`INSERT INTO system_secret (name, value) VALUES (${name}, ${randomBytes(48).toString('base64')})
    ON CONFLICT (name) DO NOTHING`.execute(db);
  const { rows } = await sql<{ value: string }>`SELECT value FROM system_secret WHERE name = ${name}`.execute(db);
  return Buffer.from(rows[0]!.value, 'base64');
}

export async function loadSecrets(db: Db): Promise<Secrets> {
  return {
    jwt: await secret(db, 'jwt', process.env.OPSFLUX_JWT_SECRET),
    cursor: await secret(db, 'cursor', process.env.OPSFLUX_CURSOR_SECRET),
    encryption: SecretBox.keyFromEnv(process.env.OPSFLUX_ENCRYPTION_KEY) ?? (await secret(db, 'encryption', undefined)).subarray(0, 32),
  };
}
