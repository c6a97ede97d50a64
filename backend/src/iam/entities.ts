// Entités du cœur pour l'identité (version minimale ; l'IAM complète les enrichit).
import { defineEntity } from '@opsflux/sdk';

export const userEntity = defineEntity({
  name: 'user',
  module: 'core',
  table: 'app_user',
  label: { en: 'User', fr: 'Utilisateur' },
  display: 'displayName',
  fields: {
    email: { type: 'email', required: true, unique: true, search: true, label: { en: 'Email', fr: 'E-mail' } },
    displayName: { type: 'string', required: true, search: true, label: { en: 'Name', fr: 'Nom' } },
    locale: { type: 'enum', default: 'fr', options: { values: ['fr', 'en'] }, label: { en: 'Language', fr: 'Langue' } },
    timezone: { type: 'string', default: 'Europe/Paris', maxLength: 64, label: { en: 'Time zone', fr: 'Fuseau horaire' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    superAdmin: { type: 'boolean', default: false, readOnly: true, label: { en: 'Super administrator', fr: 'Super-administrateur' } },
    lastLoginAt: { type: 'datetime', readOnly: true, label: { en: 'Last login', fr: 'Dernière connexion' } },
    passwordHash: { type: 'string', internal: true, maxLength: 512 },
  },
});

export const coreEntities = [userEntity];
