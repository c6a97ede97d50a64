// Tenants : création et résolution par slug (opérations système, hors RLS du rôle applicatif).
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

export const DEFAULT_TENANT = 'default';

export async function findTenant(db: Db, slug: string): Promise<Tenant | undefined> {
  const { rows } = await sql<Tenant>`SELECT id, slug, name FROM tenant WHERE slug = ${slug} AND disabled_at IS NULL`.execute(db);
  return rows[0];
}

export async function ensureTenant(db: Db, slug: string, name = slug): Promise<Tenant> {
  await sql`INSERT INTO tenant (id, slug, name) VALUES (${uuidv7()}, ${slug}, ${name}) ON CONFLICT (slug) DO NOTHING`.execute(db);
  const tenant = await findTenant(db, slug);
  if (!tenant) throw new Error(`tenant ${slug} is disabled`);
  return tenant;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  const { rows } = await sql<Tenant>`SELECT id, slug, name FROM tenant ORDER BY created_at`.execute(db);
  return rows;
}
