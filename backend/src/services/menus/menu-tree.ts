// Menu d'un utilisateur : entrées du cœur et des modules actifs du tenant, modifiées ou complétées par les
// administrateurs (menu_item), filtrées par permissions et par rôles, ordonnées, libellées dans sa langue. Un groupe
// qui ne mène à rien de visible disparaît.
import type { Label, ModuleMenu } from '@opsflux/sdk';
import type { EntityAction } from '../../engine/access.js';
import type { RequestContext } from '../../engine/context.js';
import type { RecordService } from '../../engine/crud/service.js';
import type { Catalog } from '../../engine/registry.js';
import type { CatalogFor, CatalogOf, TenantTx } from '../../engine/tenant-work.js';
import type { ModuleRuntime } from '../../modules/runtime.js';
import { CORE_MENUS } from './core-menus.js';

export interface MenuDeps {
  records: RecordService;
  catalog: CatalogOf;
  catalogFor: CatalogFor;
  tenantTx: TenantTx;
  moduleRuntime: ModuleRuntime;
}

export interface MenuNode {
  id: string;
  label: string;
  icon?: string;
  entity?: string;
  path?: string;
  module: string;
  children: MenuNode[];
}

interface Item extends ModuleMenu {
  module: string;
  hidden?: boolean;
  roles?: string[];
}

interface MenuRow {
  key: string;
  label: Label | null;
  parent: string | null;
  entity: string | null;
  path: string | null;
  icon: string | null;
  position: number | null;
  hidden: boolean;
  roles: string[] | null;
}

/** Entrées du code (cœur, modules actifs), des entités personnalisées, puis celles des administrateurs par-dessus. */
function assemble(moduleRuntime: ModuleRuntime, catalog: Catalog, rows: MenuRow[]): Map<string, Item> {
  const items = new Map<string, Item>(CORE_MENUS.map((m) => [m.id, { ...m, module: 'core' }]));
  for (const name of [...catalog.modules].sort()) {
    for (const menu of moduleRuntime.loaded(name)?.manifest.menus ?? []) items.set(menu.id, { ...menu, module: name });
  }
  for (const model of catalog.all()) {
    if (!model.custom || model.abstract) continue;
    items.set(`custom.${model.name}`, { id: `custom.${model.name}`, label: model.label as Label, entity: model.name, parent: 'custom', permission: `${model.name}:read`, module: 'custom' });
  }
  for (const row of rows) {
    const base: Item = items.get(row.key) ?? { id: row.key, label: { en: row.key }, module: 'custom' };
    items.set(row.key, {
      ...base,
      ...(row.label?.en ? { label: row.label } : {}),
      ...(row.parent ? { parent: row.parent } : {}),
      ...(row.entity ? { entity: row.entity, permission: base.permission ?? `${row.entity}:read` } : {}),
      ...(row.path ? { path: row.path } : {}),
      ...(row.icon ? { icon: row.icon } : {}),
      ...(row.position !== null ? { order: row.position } : {}),
      hidden: row.hidden,
      roles: row.roles ?? [],
    });
  }
  return items;
}

function permitted(records: RecordService, ctx: RequestContext, catalog: Catalog, item: Item): boolean {
  if (item.hidden) return false;
  if (item.roles?.length && !ctx.access?.superAdmin && !item.roles.some((r) => ctx.access?.roles.some((own) => own.id === r))) return false;
  const permission = item.permission ?? (item.entity ? `${item.entity}:read` : undefined);
  if (!permission) return true;
  if (permission === 'admin') return ctx.access?.superAdmin === true || ctx.access?.admin === true;
  if (permission === 'superAdmin') return ctx.access?.superAdmin === true;
  const [entity, action] = permission.split(':') as [string, EntityAction];
  return records.allowed(ctx, catalog, entity, action ?? 'read');
}

export async function menuFor(deps: MenuDeps, ctx: RequestContext): Promise<MenuNode[]> {
  const catalog = await deps.catalogFor(ctx);
  const system: RequestContext = { ...ctx, system: true };
  const full = await deps.catalog(ctx.tenantId);
  const rows = await deps.tenantTx(ctx, async (trx) =>
    (await deps.records.list(trx, system, full, full.get('menu_item')!, { limit: 1000 })).data as unknown as MenuRow[]);
  const items = [...assemble(deps.moduleRuntime, catalog, rows).values()];
  const label = (l: Label) => (ctx.locale === 'fr' ? l.fr : undefined) ?? l.en;
  const build = (parent: string | undefined, path: string[]): MenuNode[] => items
    .filter((item) => item.parent === parent || (parent === undefined && item.parent !== undefined && !items.some((i) => i.id === item.parent)))
    .filter((item) => !path.includes(item.id) && permitted(deps.records, ctx, catalog, item))
    .sort((a, b) => (a.order ?? 1000) - (b.order ?? 1000) || label(a.label).localeCompare(label(b.label)))
    .map((item) => ({
      id: item.id, label: label(item.label), module: item.module,
      ...(item.icon ? { icon: item.icon } : {}), ...(item.entity ? { entity: item.entity } : {}), ...(item.path ? { path: item.path } : {}),
      children: build(item.id, [...path, item.id]),
    }))
    .filter((node) => node.entity || node.path || node.children.length);
  return build(undefined, []);
}
