// Modèles de courriel par défaut du cœur, en français et en anglais. Un tenant les remplace en créant un
// `email_template` de même clé et même langue ; les modules déclarent les leurs par `EmailTemplates.declare`.
import type { TemplateSource } from './render.js';

export interface DefaultTemplate extends TemplateSource {
  key: string;
  locale: string;
  /** variables attendues (documentation de l'écran d'édition) */
  variables: string[];
}

/** Mise en page commune : titre, contenu, pied de page. */
function layout(content: string, footer: string): string {
  return `<mjml>
  <mj-head>
    <mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /><mj-text font-size="15px" line-height="22px" color="#1d2d3e" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f5f6f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
${content}
      </mj-column>
    </mj-section>
    <mj-section><mj-column><mj-text font-size="12px" color="#556b82">${footer}</mj-text></mj-column></mj-section>
  </mj-body>
</mjml>`;
}

const FOOTER = { en: 'Sent by OpsFlux.', fr: 'Envoyé par OpsFlux.' };

const button = (label: string) => `        <mj-button href="{{url}}" background-color="#0a6ed1" border-radius="6px">${label}</mj-button>`;
const paragraph = (text: string) => `        <mj-text>${text}</mj-text>`;

function template(key: string, locale: 'en' | 'fr', subject: string, lines: string[], variables: string[], text?: string): DefaultTemplate {
  return { key, locale, subject, body: layout(lines.join('\n'), FOOTER[locale]), text, variables };
}

export const CORE_TEMPLATES: DefaultTemplate[] = [
  template('account.passwordReset', 'en', 'Reset your password', [
    paragraph('Hello {{name}},'),
    paragraph('Someone asked to reset the password of your account. The link below works once, for {{minutes}} minutes.'),
    button('Choose a new password'),
    paragraph('If you did not ask for it, ignore this message: your password does not change.'),
  ], ['name', 'url', 'minutes']),
  template('account.passwordReset', 'fr', 'Réinitialisez votre mot de passe', [
    paragraph('Bonjour {{name}},'),
    paragraph('Une réinitialisation du mot de passe de votre compte a été demandée. Le lien ci-dessous sert une fois, pendant {{minutes}} minutes.'),
    button('Choisir un nouveau mot de passe'),
    paragraph("Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas."),
  ], ['name', 'url', 'minutes']),
  template('account.emailChanged', 'en', 'The email address of your account changed', [
    paragraph('Hello {{name}},'),
    paragraph('The email address of your OpsFlux account is now <strong>{{email}}</strong>. Messages about your account, password reset links included, no longer come to this address.'),
    paragraph('If you did not ask for this change, contact your administrator at once.'),
  ], ['name', 'email']),
  template('account.emailChanged', 'fr', "L'adresse e-mail de votre compte a changé", [
    paragraph('Bonjour {{name}},'),
    paragraph("L'adresse e-mail de votre compte OpsFlux est désormais <strong>{{email}}</strong>. Les messages sur votre compte, liens de réinitialisation du mot de passe compris, n'arrivent plus à cette adresse."),
    paragraph("Si vous n'avez pas demandé ce changement, prévenez votre administrateur sans attendre."),
  ], ['name', 'email']),
  template('notification.digest', 'en', '{{count}} new notification(s)', [
    paragraph('Hello {{name}}, here is what happened since your last visit:'),
    '{{#items}}' + paragraph('<strong>{{title}}</strong><br />{{body}}') + '{{/items}}',
    button('Open OpsFlux'),
  ], ['name', 'count', 'items[].title', 'items[].body', 'url']),
  template('notification.digest', 'fr', '{{count}} nouvelle(s) notification(s)', [
    paragraph('Bonjour {{name}}, voici ce qui s’est passé depuis votre dernière visite :'),
    '{{#items}}' + paragraph('<strong>{{title}}</strong><br />{{body}}') + '{{/items}}',
    button('Ouvrir OpsFlux'),
  ], ['name', 'count', 'items[].title', 'items[].body', 'url']),
  template('notification.message', 'en', '{{title}}', [
    paragraph('{{body}}'),
    '{{#url}}' + button('Open') + '{{/url}}',
  ], ['title', 'body', 'url'], '{{title}}\n\n{{body}}\n{{#url}}\n{{url}}{{/url}}'),
  template('notification.message', 'fr', '{{title}}', [
    paragraph('{{body}}'),
    '{{#url}}' + button('Ouvrir') + '{{/url}}',
  ], ['title', 'body', 'url'], '{{title}}\n\n{{body}}\n{{#url}}\n{{url}}{{/url}}'),
];
