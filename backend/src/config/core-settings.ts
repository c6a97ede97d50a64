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
    key: 'security.session.accessMinutes', scope: 'tenant', schema: integer(1, 1440), default: 15,
    label: { en: 'Access token lifetime (minutes)', fr: "Durée de vie du jeton d'accès (minutes)" },
  }),
  defineSetting({
    key: 'security.session.refreshDays', scope: 'tenant', schema: integer(1, 365), default: 30,
    label: { en: 'Session lifetime without activity (days)', fr: 'Durée de vie d’une session sans activité (jours)' },
  }),
  defineSetting({
    key: 'security.passwordReset.minutes', scope: 'tenant', schema: integer(5, 1440), default: 60,
    label: { en: 'Password reset link validity (minutes)', fr: 'Validité du lien de réinitialisation (minutes)' },
  }),
  defineSetting({
    key: 'security.emailVerification.minutes', scope: 'tenant', schema: integer(10, 43_200), default: 1440,
    label: { en: 'Email verification link validity (minutes)', fr: 'Validité du lien de vérification (minutes)' },
  }),
  defineSetting({
    key: 'api.docs.public', scope: 'platform', schema: { type: 'boolean' }, default: false,
    label: { en: 'API documentation without sign-in', fr: "Documentation de l'API sans connexion" },
    description: { en: '/api/openapi.json and /api/docs served to anyone.', fr: '/api/openapi.json et /api/docs servis à tous.' },
  }),
  defineSetting({
    key: 'security.mfa.required', scope: 'tenant', schema: { type: 'boolean' }, default: false,
    label: { en: 'Two-factor authentication required for every user', fr: 'Double authentification exigée pour tous les utilisateurs' },
  }),
];
