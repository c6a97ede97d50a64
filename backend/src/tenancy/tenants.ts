// Tenants : création et résolution par slug, sous le rôle de plateforme (registre commun, hors RLS du rôle applicatif).
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database.js';
import { platformStatement } from '../db/transaction.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

export const DEFAULT_TENANT = 'default';

export async function findTenant(db: Db, slug: string): Promise<Tenant | undefined> {
  const { rows } = await platformStatement(db, sql<Tenant>`SELECT id, slug, name FROM tenant WHERE slug = ${slug} AND disabled_at IS NULL`);
  return rows[0];
}

export async function ensureTenant(db: Db, slug: string, name = slug): Promise<Tenant> {
  await platformStatement(db, sql`INSERT INTO tenant (id, slug, name) VALUES (${uuidv7()}, ${slug}, ${name}) ON CONFLICT (slug) DO NOTHING`);
  const tenant = await findTenant(db, slug);
  if (!tenant) throw new Error(`tenant ${slug} is disabled`);
  return tenant;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  const { rows } = await platformStatement(db, sql<Tenant>`SELECT id, slug, name FROM tenant ORDER BY created_at`);
  return rows;
}

export interface TenantStatus extends Tenant {
  createdAt: Date;
  suspendedAt: Date | null;
}

/** Tenants avec leur état, pour l'administration de la plateforme. */
export async function tenantStatuses(db: Db): Promise<TenantStatus[]> {
  const { rows } = await platformStatement(db, sql<TenantStatus>`SELECT id, slug, name, created_at AS "createdAt", disabled_at AS "suspendedAt"
    FROM tenant ORDER BY created_at`);
  return rows;
}

/** Tenants non suspendus, pour les passes de fond. */
export async function activeTenants(db: Db): Promise<Tenant[]> {
  const { rows } = await platformStatement(db, sql<Tenant>`SELECT id, slug, name FROM tenant WHERE disabled_at IS NULL ORDER BY created_at`);
  return rows;
}

/** Nouveau tenant ; null si le slug est déjà pris (tenant suspendu compris). */
export async function createTenant(db: Db, slug: string, name: string): Promise<Tenant | null> {
  const { rows } = await platformStatement(db, sql<Tenant>`INSERT INTO tenant (id, slug, name) VALUES (${uuidv7()}, ${slug}, ${name})
    ON CONFLICT (slug) DO NOTHING RETURNING id, slug, name`);
  return rows[0] ?? null;
}

/** Suspend ou réactive un tenant (renommage possible) ; null si inconnu. */
export async function updateTenant(db: Db, id: string, change: { name?: string; suspended?: boolean }): Promise<TenantStatus | null> {
  const suspended = change.suspended === undefined ? sql`disabled_at` : change.suspended ? sql`coalesce(disabled_at, now())` : sql`NULL`;
  const { rows } = await platformStatement(db, sql<TenantStatus>`UPDATE tenant SET name = coalesce(${change.name ?? null}, name), disabled_at = ${suspended}
    WHERE id = ${id} RETURNING id, slug, name, created_at AS "createdAt", disabled_at AS "suspendedAt"`);
  return rows[0] ?? null;
}
