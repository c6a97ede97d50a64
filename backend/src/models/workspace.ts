// Espace de travail : signets des utilisateurs, registre des licences détenues (modules et logiciels tiers), entrées
// de menu modifiées ou ajoutées par les administrateurs.
import { CHECKED_BY_HOOKS, defineEntity } from '@opsflux/sdk';

const core = 'core';

export const bookmarkEntity = defineEntity({
  name: 'bookmark',
  module: core,
  label: { en: 'Bookmark', fr: 'Signet' },
  display: 'label',
  owner: { field: 'user', shared: 'shared' },
  fields: {
    user: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'User', fr: 'Utilisateur' } },
    label: { type: 'string', required: true, maxLength: 200, label: { en: 'Label', fr: 'Libellé' } },
    entity: { type: 'string', required: true, pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity', fr: 'Entité' } },
    /** un enregistrement précis, sinon une vue de liste (`view` : filtre, tri, colonnes) */
    recordId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$', label: { en: 'Record', fr: 'Enregistrement' } },
    view: { type: 'json', label: { en: 'List view', fr: 'Vue de liste' } },
    position: { type: 'integer', default: 0, label: { en: 'Position', fr: 'Position' } },
    shared: { type: 'boolean', default: false, label: { en: 'Shared with everyone', fr: 'Partagé avec tous' } },
  },
});

export const licenceEntity = defineEntity({
  name: 'licence',
  module: core,
  label: { en: 'Licence', fr: 'Licence' },
  display: 'name',
  fields: {
    name: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Name', fr: 'Nom' } },
    vendor: { type: 'string', maxLength: 200, search: true, label: { en: 'Vendor', fr: 'Éditeur' } },
    kind: { type: 'enum', default: 'software', options: { values: ['module', 'software', 'subscription'] }, label: { en: 'Kind', fr: 'Nature' } },
    module: { type: 'string', maxLength: 40, label: { en: 'OpsFlux module', fr: 'Module OpsFlux' } },
    seats: { type: 'integer', min: 0, label: { en: 'Seats', fr: 'Postes' } },
    seatsUsed: { type: 'integer', min: 0, label: { en: 'Seats used', fr: 'Postes utilisés' } },
    startsOn: { type: 'date', label: { en: 'Starts on', fr: 'Début' } },
    expiresOn: { type: 'date', index: true, label: { en: 'Expires on', fr: 'Échéance' } },
    remindDays: { type: 'integer', default: 30, min: 0, max: 365, label: { en: 'Reminder (days before expiry)', fr: 'Rappel (jours avant échéance)' } },
    remindedAt: { type: 'datetime', readOnly: true, label: { en: 'Reminder sent', fr: 'Rappel envoyé' } },
    cost: { type: 'money', label: { en: 'Cost', fr: 'Coût' } },
    renewal: { type: 'enum', default: 'manual', options: { values: ['manual', 'automatic'] }, label: { en: 'Renewal', fr: 'Renouvellement' } },
    notes: { type: 'text', label: { en: 'Notes', fr: 'Notes' } },
  },
});

export const menuItemEntity = defineEntity({
  name: 'menu_item',
  module: core,
  label: { en: 'Menu entry', fr: 'Entrée de menu' },
  display: 'key',
  fields: {
    /** identifiant d'une entrée du cœur ou d'un module (la modifie), ou nouvel identifiant (entrée ajoutée) */
    key: { type: 'string', required: true, unique: true, pattern: '^[a-z][a-z0-9_.-]{0,99}$', label: { en: 'Key', fr: 'Clé' } },
    label: { type: 'json', label: { en: 'Label ({"en": …, "fr": …})', fr: 'Libellé ({"en": …, "fr": …})' } },
    parent: { type: 'string', maxLength: 100, label: { en: 'Parent entry', fr: 'Entrée parente' } },
    entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity list', fr: "Liste d'une entité" } },
    path: { type: 'string', maxLength: 200, pattern: '^/[A-Za-z0-9/_:.-]*$', label: { en: 'Page path', fr: 'Chemin de page' } },
    icon: { type: 'string', maxLength: 100, label: { en: 'Icon', fr: 'Icône' } },
    position: { type: 'integer', label: { en: 'Order', fr: 'Ordre' } },
    hidden: { type: 'boolean', default: false, label: { en: 'Hidden', fr: 'Masquée' } },
    roles: { type: 'refs', options: { to: 'role' }, label: { en: 'Only for roles', fr: 'Réservée aux rôles' } },
  },
});

export const translationEntity = defineEntity({
  name: 'translation',
  module: core,
  label: { en: 'Translation', fr: 'Traduction' },
  display: 'key',
  indexes: [{ fields: ['locale', 'key'], unique: true }],
  fields: {
    locale: { type: 'string', required: true, pattern: '^[a-z]{2}(-[A-Z]{2})?$', label: { en: 'Language', fr: 'Langue' } },
    /** clé du catalogue (`entity.customer`, `field.customer.name`, `enum.crm_lead.status.open`, `crm.stage.new`…) */
    key: { type: 'string', required: true, search: true, pattern: '^[A-Za-z0-9_.-]{1,200}$', label: { en: 'Key', fr: 'Clé' } },
    /** texte brut : l'interface l'affiche comme du texte, jamais comme du HTML */
    text: { type: 'text', required: true, maxLength: 2000, label: { en: 'Text', fr: 'Texte' } },
  },
});

export const attachmentEntity = defineEntity({
  name: 'attachment',
  module: core,
  label: { en: 'Attachment', fr: 'Pièce jointe' },
  display: 'name',
  attachedTo: { entity: 'entity', recordId: 'recordId' },
  indexes: [{ fields: ['entity', 'recordId'] }],
  fields: {
    entity: { type: 'string', required: true, readOnly: true, label: { en: 'Entity', fr: 'Entité' } },
    recordId: { type: 'string', required: true, readOnly: true, label: { en: 'Record', fr: 'Enregistrement' } },
    name: { type: 'string', required: true, readOnly: true, maxLength: 255, search: true, label: { en: 'File name', fr: 'Nom du fichier' } },
    mime: { type: 'string', readOnly: true, label: { en: 'Type', fr: 'Type' } },
    size: { type: 'integer', readOnly: true, label: { en: 'Size (bytes)', fr: 'Taille (octets)' } },
    sha256: { type: 'string', readOnly: true, label: { en: 'SHA-256', fr: 'SHA-256' } },
    /** 1, 2… : les versions d'un même nom sur un même enregistrement */
    fileVersion: { type: 'integer', readOnly: true, label: { en: 'Version', fr: 'Version' } },
    description: { type: 'text', label: { en: 'Description', fr: 'Description' } },
  },
});

/** Modèle d'import enregistré : correspondance colonnes → champs et options, réutilisés d'un fichier à l'autre. */
export const importTemplateEntity = defineEntity({
  name: 'import_template',
  module: core,
  label: { en: 'Import template', fr: "Modèle d'import" },
  display: 'name',
  indexes: [{ fields: ['entity', 'name'], unique: true }],
  fields: {
    name: { type: 'string', required: true, maxLength: 120, search: true, label: { en: 'Name', fr: 'Nom' } },
    entity: { type: 'string', required: true, pattern: '^[a-z][a-z0-9_]{0,62}$', label: { en: 'Entity', fr: 'Entité' } },
    /** en-tête de colonne → nom de champ (`eid`, `id`, ou null pour ignorer la colonne) */
    mapping: { type: 'json', label: { en: 'Column mapping', fr: 'Correspondance des colonnes' } },
    mode: { type: 'enum', options: { values: ['create', 'upsert'] }, label: { en: 'Mode', fr: 'Mode' } },
    onError: { type: 'enum', options: { values: ['rollback', 'skip'] }, label: { en: 'On error', fr: 'En cas d’erreur' } },
    dateOrder: { type: 'enum', options: { values: ['dmy', 'mdy'] }, label: { en: 'Date order', fr: 'Ordre des dates' } },
    encoding: { type: 'enum', options: { values: ['utf-8', 'windows-1252', 'iso-8859-15', 'utf-16le'] }, label: { en: 'Encoding', fr: 'Encodage' } },
    delimiter: { type: 'string', maxLength: 1, label: { en: 'CSV delimiter', fr: 'Séparateur CSV' } },
  },
});

/**
 * Lien court : /s/<code> redirige vers la cible (http ou https), avec échéance et mot de passe facultatifs. Code et
 * cible sont contrôlés par les crochets du raccourcisseur (domaines permis, registre des codes) : pas par les règles.
 */
export const shortLinkEntity = defineEntity({
  name: 'short_link',
  module: core,
  label: { en: 'Short link', fr: 'Lien court' },
  display: 'code',
  fields: {
    code: { type: 'string', unique: true, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$', search: true, writableBy: CHECKED_BY_HOOKS, label: { en: 'Code', fr: 'Code' } },
    target: { type: 'url', required: true, maxLength: 2000, search: true, writableBy: CHECKED_BY_HOOKS, label: { en: 'Target address', fr: 'Adresse cible' } },
    title: { type: 'string', maxLength: 200, search: true, label: { en: 'Title', fr: 'Titre' } },
    expiresAt: { type: 'datetime', label: { en: 'Expires at', fr: 'Expire le' } },
    /** saisi en clair, jamais gardé : seule son empreinte (argon2id) l'est */
    password: { type: 'string', writeOnly: true, maxLength: 200, label: { en: 'Password', fr: 'Mot de passe' } },
    passwordHash: { type: 'string', internal: true },
    protected: { type: 'boolean', readOnly: true, default: false, label: { en: 'Password protected', fr: 'Protégé par mot de passe' } },
    clicks: { type: 'integer', readOnly: true, default: 0, label: { en: 'Clicks', fr: 'Clics' } },
    lastClickAt: { type: 'datetime', readOnly: true, label: { en: 'Last click', fr: 'Dernier clic' } },
  },
});

