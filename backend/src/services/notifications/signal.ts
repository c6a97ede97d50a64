// Signal NOTIFY des notifications : `tenant:utilisateur:nœud` (identifiants seulement). Chaque nœud relit les lignes
// de l'utilisateur pour ses flux SSE ; seul le nœud qui a écrit envoie les courriels en attente (aucun doublon).
export const NOTIFICATIONS_CHANNEL = 'opsflux_notifications';

export interface Signal {
  tenantId: string;
  userId: string;
  node: string;
}

export function signalPayload(tenantId: string, userId: string, node: string): string {
  return `${tenantId}:${userId}:${node}`;
}

export function parseSignal(payload: string): Signal | undefined {
  const [tenantId, userId, node] = payload.split(':');
  return tenantId && userId ? { tenantId, userId, node: node ?? '' } : undefined;
}
