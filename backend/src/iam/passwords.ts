// Mots de passe : argon2id (paramètres OWASP) et vérification à temps constant pour un compte inconnu.
import type { FieldError } from '@opsflux/sdk';
import argon2 from 'argon2';
import { validationFailed } from '../errors/problem.js';
import { message, type Locale } from '../text/messages.js';
import type { PasswordPolicy } from './security-policy.js';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** Vérifie ; sans empreinte (utilisateur inconnu) vérifie quand même une empreinte factice pour un temps identique. */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('opsflux-timing-equaliser');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

// longueur maximale d'un mot de passe : borne le coût du hachage (déni de service), pas une règle de mot de passe
const MAX_LENGTH = 256;
const CLASSES = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u];

/** Premier manquement d'un mot de passe à la politique du tenant (code et paramètres du message), sinon null. */
function passwordProblem(password: unknown, policy: PasswordPolicy): { code: string; params: Record<string, number> } | null {
  if (typeof password !== 'string' || password.length < policy.minLength) return { code: 'password_too_short', params: { min: policy.minLength } };
  if (password.length > MAX_LENGTH) return { code: 'too_long', params: { max: MAX_LENGTH } };
  const classes = CLASSES.filter((c) => c.test(password)).length;
  if (classes < policy.minClasses) return { code: 'password_too_simple', params: { classes: policy.minClasses } };
  return null;
}

/** Erreur du champ `field` si le mot de passe ne suit pas la politique, sinon null. */
export function passwordError(password: unknown, policy: PasswordPolicy, locale: Locale = 'en', field = 'password'): FieldError | null {
  const problem = passwordProblem(password, policy);
  return problem && { field, code: problem.code, message: message(locale, problem.code, problem.params) };
}

/** Refus de validation (400) si le mot de passe ne suit pas la politique. */
export function checkPassword(password: unknown, policy: PasswordPolicy, locale: Locale = 'en'): void {
  const error = passwordError(password, policy, locale);
  if (error) throw validationFailed([error]);
}
