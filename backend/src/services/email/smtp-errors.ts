// Classement d'un échec d'envoi : refus définitif (réponse SMTP 5xx : adresse inconnue, message refusé, authentification
// refusée ; serveur interdit par la politique des connexions sortantes, qui le restera tant que l'administrateur ne
// change pas les réglages) ou passager (4xx, connexion impossible, délai dépassé) qu'une nouvelle tentative peut surmonter.
import { OutboundRefusedError } from '../outbound/policy.js';

export interface SendFailure {
  permanent: boolean;
  /** réponse du serveur, sinon message de l'erreur (borné) */
  message: string;
}

export function classifySendError(error: unknown): SendFailure {
  const e = (error ?? {}) as { responseCode?: unknown; response?: unknown; message?: unknown; code?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = typeof e.response === 'string' && e.response ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  const refusedByServer = status !== undefined && status >= 500 && status < 600;
  return { permanent: refusedByServer || error instanceof OutboundRefusedError, message: `${code}${detail}`.slice(0, 2000) };
}
