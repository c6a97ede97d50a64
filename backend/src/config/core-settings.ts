// Réglages du cœur : valeurs de sécurité auparavant écrites en dur, désormais administrables par tenant.
import { defineSetting } from '@opsflux/sdk';

const integer = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });

export const CORE_SETTINGS = [
  defineSetting({
    key: 'security.password.minLength', scope: 'tenant', schema: integer(8, 128), default: 10,
    label: { en: 'Minimum password length', fr: 'Longueur minimale des mots de passe' },
  }),
  defineSetting({
    key: 'security.password.minClasses', scope: 'tenant', schema: integer(1, 4), default: 1,
    label: { en: 'Character classes required in passwords', fr: 'Classes de caractères exigées dans les mots de passe' },
    description: { en: 'Among lowercase, uppercase, digits and symbols.', fr: 'Parmi minuscules, majuscules, chiffres et symboles.' },
  }),
  defineSetting({
    key: 'security.lockout.threshold', scope: 'tenant', schema: integer(3, 100), default: 10,
    label: { en: 'Failed sign-ins before an account is locked', fr: 'Échecs de connexion avant verrouillage du compte' },
  }),
  defineSetting({
    key: 'security.lockout.minutes', scope: 'tenant', schema: integer(1, 1440), default: 15,
    label: { en: 'Lockout duration (minutes)', fr: 'Durée du verrouillage (minutes)' },
  }),
  defineSetting({
    key: 'security.mfa.required', scope: 'tenant', schema: { type: 'boolean' }, default: false,
    label: { en: 'Two-factor authentication required for every user', fr: 'Double authentification exigée pour tous les utilisateurs' },
  }),
];
