// Écrans d'administration : réservés aux administrateurs du tenant (le serveur refuse de toute façon).
import type { ReactNode } from 'react';
import { useMe } from '../api/queries';
import NotFoundPage from '../pages/NotFoundPage';

export function RequireAdmin({ children }: { children: ReactNode }) {
  const me = useMe().data;
  return me?.admin || me?.superAdmin ? <>{children}</> : <NotFoundPage />;
}
