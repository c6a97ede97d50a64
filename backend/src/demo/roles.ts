// Rôles des utilisateurs de démonstration : un administrateur, des métiers, un lecteur.
import type { Catalog } from '../engine/registry.js';

export interface DemoRole {
  key: string;
  name: string;
  admin?: boolean;
  permissions(catalog: Catalog): string[];
}

/** Actions possibles sur une entité abstraite : tout sauf créer et importer (on crée l'une de ses sous-entités). */
const ABSTRACT_ACTIONS = new Set(['read', 'update', 'delete', 'export', 'admin']);

const all = (catalog: Catalog, actions: string[], only?: (entity: string) => boolean) =>
  catalog.all().filter((m) => !only || only(m.name))
    .flatMap((m) => actions.filter((a) => !m.abstract || ABSTRACT_ACTIONS.has(a)).map((a) => `${m.name}:${a}`));

const PARTIES = new Set(['party', 'customer', 'supplier', 'employee', 'partner', 'address', 'category', 'tag', 'bookmark', 'dashboard', 'kpi']);
const FINANCE = new Set(['currency', 'exchange_rate', 'company', 'business_unit', 'calendar', 'holiday', 'sequence', 'licence', 'bookmark', 'dashboard', 'kpi']);

export const DEMO_ROLES: DemoRole[] = [
  { key: 'admin', name: 'Demo administrator', admin: true, permissions: () => [] },
  { key: 'sales', name: 'Sales', permissions: (c) => [...all(c, ['read', 'create', 'update', 'export'], (e) => PARTIES.has(e)), ...all(c, ['read'])] },
  { key: 'finance', name: 'Finance', permissions: (c) => [...all(c, ['read', 'create', 'update', 'import', 'export'], (e) => FINANCE.has(e)), ...all(c, ['read'])] },
  { key: 'viewer', name: 'Read-only', permissions: (c) => all(c, ['read']) },
];
