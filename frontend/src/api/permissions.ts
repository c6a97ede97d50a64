// Droits de la session tels que /auth/me les donne ('*' pour un administrateur) : l'interface masque ce qui est
// interdit, le serveur reste seul juge.
import type { Me } from '../metadata/types';

export type Action = 'read' | 'create' | 'update' | 'delete' | 'export' | 'import';

export function can(me: Me | null | undefined, entity: string, action: Action): boolean {
  if (!me) return false;
  return me.permissions.includes('*') || me.permissions.includes(`${entity}:${action}`);
}
