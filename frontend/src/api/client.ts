// Client de l'API pour le navigateur : session par cookies HttpOnly, jeton anti-CSRF lu dans son cookie,
// langue courante envoyée à chaque appel ; un 401 tente un rafraîchissement de session une seule fois.
import { ApiError, createClient } from '@opsflux/sdk';
import i18n from '../i18n';

function cookie(name: string): string | undefined {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
}

/** En-têtes de la session du navigateur : langue et jeton anti-CSRF (aussi pour un envoi multipart hors du client). */
export const sessionHeaders = (): Record<string, string> => {
  const csrf = cookie('ofx_csrf');
  return { 'accept-language': i18n.language, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
};

let refreshing: Promise<boolean> | undefined;

/** Une session de navigateur laisse toujours son jeton anti-CSRF lisible : sans lui, inutile d'interroger le serveur. */
export const hasSessionCookie = () => cookie('ofx_csrf') !== undefined;

/** Rafraîchit la session une fois pour tous les appels en attente. */
function refreshSession(): Promise<boolean> {
  if (!hasSessionCookie()) return Promise.resolve(false);
  refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin', headers: sessionHeaders() })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = undefined), 0);
    });
  return refreshing;
}

/** fetch qui relance la requête après un rafraîchissement réussi quand la session a expiré. */
export const sessionFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = String(input);
  if (response.status !== 401 || url.includes('/auth/login') || url.includes('/auth/refresh')) return response;
  if (!(await refreshSession())) return response;
  return fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...sessionHeaders() } });
};

export const api = createClient({ baseUrl: window.location.origin, credentials: 'same-origin', headers: sessionHeaders, fetch: sessionFetch });

export { ApiError };

export const isApiError = (error: unknown, status?: number): error is ApiError =>
  error instanceof ApiError && (status === undefined || error.status === status);

/** Message à montrer pour un échec d'appel : messages de champ du problème (dépendance manquante…), sinon son détail ;
 * « erreur inattendue » traduit pour une panne réseau ou une autre exception. */
export function problemText(failure: unknown): string {
  if (!isApiError(failure)) return i18n.t('errors.unexpected');
  const fields = failure.problem.errors?.map((e) => e.message).filter(Boolean) ?? [];
  return fields.length ? fields.join(' · ') : (failure.problem.detail ?? failure.problem.title);
}
