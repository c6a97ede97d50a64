// Modèle de courriel modifiable dans l'interface : une ligne par clé et par langue. Une ligne du tenant remplace le
// modèle par défaut du code de même clé et même langue ; la supprimer rend la main au défaut.
import { defineEntity } from '@opsflux/sdk';

export const EMAIL_TEMPLATE = 'email_template';
export const TEMPLATE_KEY_PATTERN = '^[a-z][a-zA-Z0-9_.-]{0,99}$';
export const LOCALE_PATTERN = '^[a-z]{2}(-[A-Z]{2})?$';

export const emailTemplateEntity = defineEntity({
  name: EMAIL_TEMPLATE,
  module: 'core',
  label: { en: 'Email template', fr: 'Modèle de courriel' },
  display: 'key',
  indexes: [{ fields: ['key', 'locale'], unique: true }],
  fields: {
    key: { type: 'string', required: true, search: true, pattern: TEMPLATE_KEY_PATTERN, label: { en: 'Key', fr: 'Clé' } },
    locale: { type: 'string', required: true, pattern: LOCALE_PATTERN, label: { en: 'Language', fr: 'Langue' } },
    /** texte avec variables {{nom}} (pas de HTML) */
    subject: { type: 'string', required: true, maxLength: 500, search: true, label: { en: 'Subject', fr: 'Objet' } },
    /** MJML avec variables {{nom}}, échappées en HTML */
    body: { type: 'text', required: true, maxLength: 200_000, label: { en: 'Body (MJML)', fr: 'Corps (MJML)' } },
    /** partie texte avec variables ; vide : déduite du HTML rendu */
    text: { type: 'text', maxLength: 100_000, label: { en: 'Plain-text part', fr: 'Partie texte brut' } },
    description: { type: 'text', maxLength: 2000, label: { en: 'Description', fr: 'Description' } },
  },
});
