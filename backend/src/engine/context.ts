// Contexte d'une requête, transmis du HTTP aux services (jamais l'objet HTTP lui-même).
import type { FieldWriter } from '@opsflux/sdk';
import type { Locale } from '../text/messages.js';
import type { AccessProfile } from '../iam/access/profile.js';

export interface RequestContext {
  tenantId: string;
  userId: string | null;
  requestId: string;
  ip: string | null;
  locale: Locale;
  /** super-administrateur de la plateforme */
  superAdmin?: boolean;
  /** droits de l'utilisateur, chargés à l'authentification (requêtes HTTP) */
  access?: AccessProfile;
  /** code de confiance de la plateforme (démarrage, CLI) : aucun contrôle d'accès */
  system?: boolean;
  /** jeton d'accès personnel qui authentifie la requête (absent : session) */
  tokenId?: string;
  /** portées d'un jeton d'accès personnel (`entité:action`, `*:read`, `*`) ; absentes : aucune restriction */
  scopes?: string[];
  /** une écriture de la transaction change des droits : profils à recalculer après le commit */
  accessChanged?: boolean;
  /** chemin générique qui écrit (champs permis : FieldDefinition.writableBy) ; absent : l'API */
  writer?: FieldWriter;
}

/** Contexte du code de confiance de la plateforme (travaux, amorçage, CLI) dans un tenant : aucun contrôle d'accès. */
export function systemContext(tenantId: string, requestId: string, userId: string | null = null): RequestContext {
  return { tenantId, userId, requestId, ip: null, locale: 'en', system: true };
}
