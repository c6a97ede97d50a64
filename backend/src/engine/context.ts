// Contexte d'une requête, transmis du HTTP aux services (jamais l'objet HTTP lui-même).
import type { Locale } from '../i18n/messages.js';

export interface RequestContext {
  tenantId: string;
  userId: string | null;
  requestId: string;
  ip: string | null;
  locale: Locale;
  /** super-administrateur de la plateforme */
  superAdmin?: boolean;
}
