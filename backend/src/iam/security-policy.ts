// Politique de sécurité d'un tenant, lue dans les réglages (security.*) : mots de passe, verrouillage, MFA.
import type { Settings } from '../config/settings.js';

export interface PasswordPolicy {
  minLength: number;
  /** classes exigées parmi minuscules, majuscules, chiffres, symboles */
  minClasses: number;
}

export interface LockoutPolicy {
  /** échecs consécutifs qui verrouillent le compte (sur tous les nœuds) */
  threshold: number;
  minutes: number;
}

/** Politique des mots de passe du tenant ; sans tenant (il va être créé), celle de la plateforme. */
export async function passwordPolicy(settings: Settings, tenantId: string | null): Promise<PasswordPolicy> {
  const read = (key: string) => (tenantId ? settings.value<number>(key, { tenantId }) : settings.platformValue<number>(key));
  const [minLength, minClasses] = await Promise.all([read('security.password.minLength'), read('security.password.minClasses')]);
  return { minLength, minClasses };
}

export async function lockoutPolicy(settings: Settings, tenantId: string): Promise<LockoutPolicy> {
  const [threshold, minutes] = await Promise.all([
    settings.value<number>('security.lockout.threshold', { tenantId }),
    settings.value<number>('security.lockout.minutes', { tenantId }),
  ]);
  return { threshold, minutes };
}

export interface SessionLifetimes {
  accessSeconds: number;
  refreshSeconds: number;
}

export async function sessionLifetimes(settings: Settings, tenantId: string): Promise<SessionLifetimes> {
  const [minutes, days] = await Promise.all([
    settings.value<number>('security.session.accessMinutes', { tenantId }),
    settings.value<number>('security.session.refreshDays', { tenantId }),
  ]);
  return { accessSeconds: minutes * 60, refreshSeconds: days * 86_400 };
}

/** Validité des liens envoyés par courriel (minutes). */
export function ticketMinutes(settings: Settings, tenantId: string, purpose: 'password_reset' | 'email_verification'): Promise<number> {
  return settings.value<number>(purpose === 'password_reset' ? 'security.passwordReset.minutes' : 'security.emailVerification.minutes', { tenantId });
}

export function mfaRequiredForTenant(settings: Settings, tenantId: string): Promise<boolean> {
  return settings.value<boolean>('security.mfa.required', { tenantId });
}
