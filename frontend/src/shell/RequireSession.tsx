// Garde des écrans connectés : sans session, renvoie vers la connexion en gardant la page demandée.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { BusyIndicator } from '@ui5/webcomponents-react';
import { useMe } from '../api/queries';

export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <BusyIndicator active delay={300} style={{ width: '100%', marginTop: '4rem' }} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}
