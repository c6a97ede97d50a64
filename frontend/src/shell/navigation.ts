// Menu du serveur → navigation : chemin de chaque entrée, entrée active, entrées de la console.
import type { MenuNode } from '../metadata/types';
import type { Area } from '../area';

/** Chemin d'une entrée : la liste de son entité, ou la page déclarée. */
export function menuPath(node: MenuNode): string | undefined {
  if (node.entity) return `/data/${node.entity}`;
  return node.path;
}

/** La console (/server/) ne montre que l'administration ; l'application montre tout ce que le menu permet. */
export function menuForArea(menu: MenuNode[], area: Area): MenuNode[] {
  return area === 'server' ? menu.filter((node) => node.id === 'admin') : menu;
}

/** Entrée dont le chemin est le plus long préfixe de l'adresse courante. */
export function activeEntry(menu: MenuNode[], pathname: string): string | undefined {
  let best: { id: string; length: number } | undefined;
  const visit = (nodes: MenuNode[]) => {
    for (const node of nodes) {
      const path = menuPath(node);
      if (path && (pathname === path || pathname.startsWith(`${path}/`)) && path.length > (best?.length ?? 0)) best = { id: node.id, length: path.length };
      visit(node.children);
    }
  };
  visit(menu);
  return best?.id;
}

/** Toutes les entrées navigables, à plat (recherche globale, page d'accueil). */
export function flatEntries(menu: MenuNode[]): Array<MenuNode & { path: string; group?: string }> {
  const out: Array<MenuNode & { path: string; group?: string }> = [];
  const visit = (nodes: MenuNode[], group?: string) => {
    for (const node of nodes) {
      const path = menuPath(node);
      if (path) out.push({ ...node, path, group });
      visit(node.children, node.label);
    }
  };
  visit(menu);
  return out;
}
