// Menu du serveur → navigation : chemins, entrée active, partie console.
import { describe, expect, it } from 'vitest';
import type { MenuNode } from '../../src/metadata/types';
import { activeEntry, flatEntries, menuForArea, menuPath } from '../../src/shell/navigation';

const node = (id: string, extra: Partial<MenuNode> = {}, children: MenuNode[] = []): MenuNode => ({ id, label: id, module: 'core', children, ...extra });
const menu = [
  node('parties', {}, [node('parties.customers', { entity: 'customer' }), node('parties.suppliers', { entity: 'supplier' })]),
  node('admin', {}, [node('admin.users', { entity: 'user' }), node('admin.modules', { path: '/admin/modules' })]),
];

describe('navigation', () => {
  it('links entity entries to their list and page entries to their path', () => {
    expect(menuPath(node('x', { entity: 'customer' }))).toBe('/data/customer');
    expect(menuPath(node('x', { path: '/admin/settings' }))).toBe('/admin/settings');
    expect(menuPath(node('x'))).toBeUndefined();
  });

  it('selects the entry of the current page, records included', () => {
    expect(activeEntry(menu, '/data/customer')).toBe('parties.customers');
    expect(activeEntry(menu, '/data/customer/0190a0a0-0000-7000-8000-000000000001')).toBe('parties.customers');
    expect(activeEntry(menu, '/data/customers')).toBeUndefined();
    expect(activeEntry(menu, '/admin/modules')).toBe('admin.modules');
  });

  it('shows only administration in the console', () => {
    expect(menuForArea(menu, 'server').map((n) => n.id)).toEqual(['admin']);
    expect(menuForArea(menu, 'app')).toBe(menu);
  });

  it('flattens entries with their group for the global search', () => {
    expect(flatEntries(menu).map((e) => [e.id, e.group, e.path])).toEqual([
      ['parties.customers', 'parties', '/data/customer'], ['parties.suppliers', 'parties', '/data/supplier'],
      ['admin.users', 'admin', '/data/user'], ['admin.modules', 'admin', '/admin/modules'],
    ]);
  });
});
