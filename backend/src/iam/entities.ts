// Entités du cœur : modèles de base (models/) et, ici, l'identité et les accès : utilisateurs, groupes, rôles, permissions, règles, préférences.
// Ce sont des entités du moteur : CRUD, audit et OpenAPI viennent avec.
import { CHECKED_BY_HOOKS, defineEntity } from '@opsflux/sdk';
import { ENTITY_ACTIONS } from '../engine/access.js';
import { baseEntities } from '../models/index.js';
import { authProviderEntity } from './providers.js';
import { emailTemplateEntity } from '../services/email/template-entity.js';
import { webhookEntity } from '../services/webhooks/entity.js';

const core = 'core';
// Secrets et éléments d'authentification : `internal` (ni lus ni écrits par l'API, l'import ou les règles).
// Identité, droits et règles d'accès : contrôlés par des crochets (access/guards.ts) que les règles d'automatisation,
// qui posent leurs valeurs après eux, contourneraient : `writableBy: CHECKED_BY_HOOKS` (API et import seulement).

export const userEntity = defineEntity({
  name: 'user',
  module: core,
  table: 'app_user',
  label: { en: 'User', fr: 'Utilisateur' },
  display: 'displayName',
  fields: {
    email: { type: 'email', required: true, unique: true, search: true, writableBy: CHECKED_BY_HOOKS, label: { en: 'Email', fr: 'E-mail' } },
    displayName: { type: 'string', required: true, search: true, label: { en: 'Name', fr: 'Nom' } },
    locale: { type: 'enum', default: 'fr', options: { values: ['fr', 'en'] }, label: { en: 'Language', fr: 'Langue' } },
    timezone: { type: 'string', default: 'Europe/Paris', maxLength: 64, label: { en: 'Time zone', fr: 'Fuseau horaire' } },
    active: { type: 'boolean', default: true, label: { en: 'Active', fr: 'Actif' } },
    locked: { type: 'boolean', default: false, label: { en: 'Locked', fr: 'Verrouillé' } },
    lockedUntil: { type: 'datetime', label: { en: 'Locked until (failed logins)', fr: 'Verrouillé jusqu’à (échecs de connexion)' } },
    failedLogins: { type: 'integer', internal: true, default: 0 },
    totpEnabled: { type: 'boolean', default: false, readOnly: true, label: { en: 'Two-factor authentication', fr: 'Double authentification' } },
    totpSecret: { type: 'text', internal: true, sealed: true },
    totpPending: { type: 'text', internal: true, sealed: true },
    totpLastStep: { type: 'integer', internal: true },
    recoveryCodes: { type: 'json', internal: true },
    roles: { type: 'refs', options: { to: 'role' }, writableBy: CHECKED_BY_HOOKS, label: { en: 'Roles', fr: 'Rôles' } },
    companies: { type: 'refs', options: { to: 'company' }, label: { en: 'Allowed companies', fr: 'Sociétés autorisées' } },
    currentCompany: { type: 'ref', options: { to: 'company' }, label: { en: 'Current company', fr: 'Société courante' } },
    lastLoginAt: { type: 'datetime', readOnly: true, label: { en: 'Last login', fr: 'Dernière connexion' } },
    emailVerifiedAt: { type: 'datetime', readOnly: true, label: { en: 'Email verified', fr: 'Adresse vérifiée' } },
    /** dernier changement d'adresse : une adresse changée ne reçoit de lien de réinitialisation qu'une fois vérifiée */
    emailChangedAt: { type: 'datetime', internal: true },
    authProvider: { type: 'string', readOnly: true, label: { en: 'Provisioned by', fr: 'Créé par le fournisseur' } },
    externalId: { type: 'string', readOnly: true, maxLength: 1000, label: { en: 'External identifier', fr: 'Identifiant externe' } },
    passwordHash: { type: 'string', internal: true, maxLength: 512 },
  },
});

export const permissionEntity = defineEntity({
  name: 'permission',
  module: core,
  label: { en: 'Permission', fr: 'Permission' },
  display: 'code',
  fields: {
    code: { type: 'string', required: true, unique: true, search: true, readOnly: true, label: { en: 'Code', fr: 'Code' } },
    entity: { type: 'string', required: true, index: true, readOnly: true, label: { en: 'Entity', fr: 'Entité' } },
    action: { type: 'enum', required: true, readOnly: true, options: { values: [...ENTITY_ACTIONS] }, label: { en: 'Action', fr: 'Action' } },
  },
});

export const roleEntity = defineEntity({
  name: 'role',
  module: core,
  label: { en: 'Role', fr: 'Rôle' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, unique: true, search: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    description: { type: 'text', label: { en: 'Description', fr: 'Description' } },
    admin: { type: 'boolean', default: false, writableBy: CHECKED_BY_HOOKS, label: { en: 'Tenant administrator', fr: 'Administrateur du tenant' } },
    mfaRequired: { type: 'boolean', default: false, writableBy: CHECKED_BY_HOOKS, label: { en: 'Two-factor authentication required', fr: 'Double authentification exigée' } },
    permissions: { type: 'refs', options: { to: 'permission' }, writableBy: CHECKED_BY_HOOKS, label: { en: 'Permissions', fr: 'Permissions' } },
  },
});

export const groupEntity = defineEntity({
  name: 'group',
  module: core,
  table: 'app_group',
  label: { en: 'Group', fr: 'Groupe' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, unique: true, search: true, maxLength: 100, label: { en: 'Name', fr: 'Nom' } },
    description: { type: 'text', label: { en: 'Description', fr: 'Description' } },
    parent: { type: 'ref', options: { to: 'group' }, label: { en: 'Parent group', fr: 'Groupe parent' } },
    members: { type: 'refs', options: { to: 'user' }, writableBy: CHECKED_BY_HOOKS, label: { en: 'Members', fr: 'Membres' } },
    roles: { type: 'refs', options: { to: 'role' }, writableBy: CHECKED_BY_HOOKS, label: { en: 'Roles', fr: 'Rôles' } },
  },
});

export const fieldRuleEntity = defineEntity({
  name: 'field_rule',
  module: core,
  label: { en: 'Field rule', fr: 'Règle de champ' },
  fields: {
    role: { type: 'ref', writableBy: CHECKED_BY_HOOKS, required: true, options: { to: 'role' }, label: { en: 'Role', fr: 'Rôle' } },
    entity: { type: 'string', writableBy: CHECKED_BY_HOOKS, required: true, label: { en: 'Entity', fr: 'Entité' } },
    field: { type: 'string', writableBy: CHECKED_BY_HOOKS, required: true, label: { en: 'Field', fr: 'Champ' } },
    access: { type: 'enum', writableBy: CHECKED_BY_HOOKS, required: true, options: { values: ['hidden', 'readonly'] }, label: { en: 'Access', fr: 'Accès' } },
  },
});

export const recordRuleEntity = defineEntity({
  name: 'record_rule',
  module: core,
  label: { en: 'Record rule', fr: "Règle d'enregistrements" },
  fields: {
    role: { type: 'ref', writableBy: CHECKED_BY_HOOKS, required: true, options: { to: 'role' }, label: { en: 'Role', fr: 'Rôle' } },
    entity: { type: 'string', writableBy: CHECKED_BY_HOOKS, required: true, label: { en: 'Entity', fr: 'Entité' } },
    /** actions concernées ; vide : lecture, modification, suppression, export */
    actions: { type: 'tags', writableBy: CHECKED_BY_HOOKS, label: { en: 'Actions', fr: 'Actions' } },
    filter: { type: 'json', writableBy: CHECKED_BY_HOOKS, required: true, label: { en: 'Filter', fr: 'Filtre' } },
  },
});

export const preferenceEntity = defineEntity({
  name: 'user_preference',
  module: core,
  label: { en: 'User preference', fr: 'Préférence utilisateur' },
  fields: {
    user: { type: 'ref', required: true, options: { to: 'user' }, label: { en: 'User', fr: 'Utilisateur' } },
    key: { type: 'string', required: true, maxLength: 100, label: { en: 'Key', fr: 'Clé' } },
    value: { type: 'json', label: { en: 'Value', fr: 'Valeur' } },
  },
});

export const coreEntities = [
  ...baseEntities, userEntity, permissionEntity, roleEntity, groupEntity, fieldRuleEntity, recordRuleEntity, preferenceEntity, authProviderEntity, webhookEntity,
  emailTemplateEntity,
];

/** Entités dont une écriture change les droits des utilisateurs du tenant (profils d'accès à recalculer). */
export const ACCESS_ENTITIES: ReadonlySet<string> = new Set(['user', 'permission', 'role', 'group', 'field_rule', 'record_rule']);
