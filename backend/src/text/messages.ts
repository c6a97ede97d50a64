// Messages d'erreur de l'API en français et en anglais, par code stable.
export type Locale = 'en' | 'fr';

type Params = Record<string, string | number | undefined>;
export const MESSAGES: Record<string, { en: string; fr: string }> = {
  required: { en: 'This field is required.', fr: 'Ce champ est obligatoire.' },
  ai_budget_tenant: { en: 'The AI budget of your organisation for this month is used up ({limit} tokens). Ask an administrator to raise it (setting ai.budgets).', fr: 'Le budget d’IA de votre organisation pour ce mois est épuisé ({limit} jetons). Demandez à un administrateur de l’augmenter (réglage ai.budgets).' },
  ai_budget_user: { en: 'Your personal AI budget for this month is used up ({limit} tokens).', fr: 'Votre budget d’IA personnel pour ce mois est épuisé ({limit} jetons).' },
  ai_budget_feature: { en: 'The AI budget of the {feature} feature for this month is used up ({limit} tokens).', fr: 'Le budget d’IA de la fonction {feature} pour ce mois est épuisé ({limit} jetons).' },
  ai_budget_cost: { en: 'The AI spending limit of your organisation for this month is reached ({limit}).', fr: 'Le plafond de dépenses d’IA de votre organisation pour ce mois est atteint ({limit}).' },
  ai_unavailable: { en: 'No AI provider answered. Try again later or ask an administrator to check the AI providers.', fr: 'Aucun fournisseur d’IA n’a répondu. Réessayez plus tard ou demandez à un administrateur de vérifier les fournisseurs d’IA.' },
  ai_invalid_answer: { en: 'The AI provider suggested a value this field refuses: {reason} Try again.', fr: 'Le fournisseur d’IA a suggéré une valeur que ce champ refuse : {reason} Réessayez.' },
  ai_not_suggested: { en: 'AI suggestions are not enabled on this field.', fr: 'Les suggestions d’IA ne sont pas activées sur ce champ.' },
  not_ai_fillable: { en: 'AI suggestions are offered on these types only: {types}.', fr: 'Les suggestions d’IA ne sont offertes que sur ces types : {types}.' },
  unknown_field: { en: 'Unknown field "{field}".', fr: 'Champ inconnu « {field} ».' },
  read_only: { en: 'This field is read-only.', fr: 'Ce champ est en lecture seule.' },
  not_writable: { en: 'This field cannot be written by {writer}.', fr: 'Ce champ ne peut pas être écrit par {writer}.' },
  rule_value_refused: { en: 'Automation rule "{rule}": {reason}', fr: 'Règle d’automatisation « {rule} » : {reason}' },
  invalid_type: { en: 'Expected {expected}.', fr: 'Valeur attendue : {expected}.' },
  too_long: { en: 'At most {max} characters.', fr: '{max} caractères au maximum.' },
  too_small: { en: 'Must be at least {min}.', fr: 'Doit valoir au moins {min}.' },
  too_large: { en: 'Must be at most {max}.', fr: 'Doit valoir au plus {max}.' },
  pattern: { en: 'Invalid format.', fr: 'Format invalide.' },
  invalid_email: { en: 'Invalid email address.', fr: 'Adresse e-mail invalide.' },
  invalid_url: { en: 'Invalid URL (http or https).', fr: 'URL invalide (http ou https).' },
  invalid_phone: { en: 'Invalid phone number.', fr: 'Numéro de téléphone invalide.' },
  invalid_enum: { en: 'Must be one of: {values}.', fr: 'Valeurs permises : {values}.' },
  invalid_reference: { en: 'The referenced record does not exist.', fr: "L'enregistrement référencé n'existe pas." },
  invalid_value: { en: 'Invalid value.', fr: 'Valeur invalide.' },
  invalid_filter: { en: 'Invalid filter.', fr: 'Filtre invalide.' },
  unknown_operator: { en: 'Unknown operator.', fr: 'Opérateur inconnu.' },
  operator_not_allowed: { en: 'Operator not allowed for this field.', fr: 'Opérateur non permis pour ce champ.' },
  filter_too_complex: { en: 'Filter too complex.', fr: 'Filtre trop complexe.' },
  duplicate: { en: 'This value is already used.', fr: 'Cette valeur est déjà utilisée.' },
  invalid_name: { en: 'Invalid name: lowercase ASCII letters, digits{extra}, starting with a letter.', fr: 'Nom invalide : lettres ASCII minuscules, chiffres{extra}, commençant par une lettre.' },
  reserved_name: { en: 'This name is reserved.', fr: 'Ce nom est réservé.' },
  tree_cycle: { en: 'A record cannot be placed under itself or one of its descendants.', fr: 'Un enregistrement ne peut pas être placé sous lui-même ni sous un de ses descendants.' },
  unknown_currency: { en: 'Unknown currency {code}.', fr: 'Devise inconnue : {code}.' },
  unknown_unit: { en: 'Unknown unit of measure.', fr: 'Unité de mesure inconnue.' },
  still_referenced: { en: 'Still used by {by}.', fr: 'Encore utilisé par {by}.' },
  work_end_before_start: { en: 'The working day must end after it starts.', fr: 'La journée de travail doit finir après avoir commencé.' },
  company_not_allowed: { en: 'This company is not one of yours.', fr: "Cette société ne fait pas partie des vôtres." },
  already_exists: { en: 'Already exists.', fr: 'Existe déjà.' },
  reference_not_found: { en: 'No {entity} with eid or id "{value}".', fr: 'Aucun enregistrement {entity} avec l’eid ou l’id « {value} ».' },
  duplicate_eid: { en: 'This eid already appears on row {row} of the file.', fr: 'Cet eid figure déjà à la ligne {row} du fichier.' },
  eid_deleted: { en: 'The record with this eid is deleted: restore it first.', fr: 'L’enregistrement avec cet eid est supprimé : restaurez-le d’abord.' },
  extra_cells: { en: 'This row has more cells than the header.', fr: 'Cette ligne a plus de cellules que l’en-tête.' },
  not_an_object: { en: 'Each element must be a JSON object.', fr: 'Chaque élément doit être un objet JSON.' },
  invalid_json: { en: 'Invalid JSON.', fr: 'JSON invalide.' },
  body_not_object: { en: 'The request body must be a JSON object.', fr: 'Le corps de la requête doit être un objet JSON.' },
  not_mergeable: { en: 'Only a setting holding an object can be merged, with an object value.', fr: 'Seul un réglage qui contient un objet se fusionne, avec un objet pour valeur.' },
  bad_url: { en: 'The address contains an invalid percent-encoding.', fr: 'L’adresse contient un encodage pour-cent invalide.' },
  uri_too_long: { en: 'A segment of the address is too long.', fr: 'Un segment de l’adresse est trop long.' },
  malformed_multipart: { en: 'The multipart/form-data body is malformed (boundary missing or body cut short).', fr: 'Le corps multipart/form-data est mal formé (délimiteur absent ou corps tronqué).' },
  not_searchable: { en: 'Only text fields can be searched ({types}).', fr: 'Seuls les champs texte peuvent être cherchés ({types}).' },
  password_too_short: { en: 'At least {min} characters.', fr: '{min} caractères au minimum.' },
  password_too_simple: { en: 'Mix at least {classes} kinds of characters: lowercase, uppercase, digits, symbols.', fr: 'Mélangez au moins {classes} sortes de caractères : minuscules, majuscules, chiffres, symboles.' },
  sso_super_admin: { en: 'Super-administrators sign in with their password and second factor, not through an identity provider.', fr: "Les super-administrateurs se connectent avec leur mot de passe et leur second facteur, pas par un fournisseur d'identité." },
  identity_not_linked: { en: 'An account already uses the address {email}, but it is not linked to your {provider} identity: ask an administrator to link it.', fr: "Un compte utilise déjà l'adresse {email}, mais il n'est pas lié à votre identité {provider} : demandez à un administrateur de la lier." },
  identity_taken: { en: 'This identity is already linked to another account.', fr: 'Cette identité est déjà liée à un autre compte.' },
  identity_already_linked: { en: 'This account already has an identity at this provider.', fr: 'Ce compte a déjà une identité chez ce fournisseur.' },
  credentials_above_rights: { en: 'You cannot change the sign-in details of a user who holds more rights than you.', fr: "Vous ne pouvez pas changer les identifiants de connexion d'un utilisateur qui a plus de droits que vous." },
  credentials_by_automation: { en: 'Sign-in details (email, password, second factor) change only by a direct request, not through automation.', fr: 'Les identifiants de connexion (adresse, mot de passe, second facteur) ne changent que par une demande directe, pas par une automatisation.' },
  outbound_private: { en: '{target} is a loopback, private or shared address: refused unless the platform allows it (setting outbound.allowList).', fr: '{target} est une adresse locale, privée ou partagée : refusée sauf si la plateforme l’autorise (réglage outbound.allowList).' },
  outbound_forbidden: { en: '{target} is a reserved, link-local, multicast or cloud metadata address: always refused.', fr: '{target} est une adresse réservée, de lien local, de multidiffusion ou de métadonnées : toujours refusée.' },
  outbound_scheme: { en: 'Expected an absolute address ({schemes}).', fr: 'Adresse absolue attendue ({schemes}).' },
  outbound_credentials: { en: 'No user name or password in the address: use the settings or headers meant for them.', fr: 'Pas d’utilisateur ni de mot de passe dans l’adresse : utilisez les réglages ou en-têtes prévus.' },
  outbound_allow_entry: { en: 'Expected a host name, an IP address or a CIDR range, with an optional :port.', fr: 'Nom d’hôte, adresse IP ou plage CIDR attendu, avec un :port facultatif.' },
  above_platform_limit: { en: 'At most {max}: the limit set for the whole platform.', fr: 'Au plus {max} : la limite fixée pour toute la plateforme.' },
  too_many_rules: { en: 'At most {max} automation rules in this tenant (setting automation.rules.maxPerTenant).', fr: 'Au plus {max} règles d’automatisation dans ce tenant (réglage automation.rules.maxPerTenant).' },
  too_many_actions: { en: 'A list of 1 to {max} actions (setting automation.rules.maxActions).', fr: 'Une liste de 1 à {max} actions (réglage automation.rules.maxActions).' },
  job_payload_too_large: { en: 'At most {max} bytes once written as JSON (setting jobs.payload.maxKilobytes).', fr: 'Au plus {max} octets une fois écrit en JSON (réglage jobs.payload.maxKilobytes).' },
  manifest_too_large: { en: 'At most {max} bytes (setting modules.manifest.maxKilobytes).', fr: 'Au plus {max} octets (réglage modules.manifest.maxKilobytes).' },
};

export function message(locale: Locale, code: string, params: Params = {}): string {
  const template = MESSAGES[code]?.[locale] ?? MESSAGES[code]?.en ?? code;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** Langue de la réponse d'après Accept-Language (français ou anglais). */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'fr' || tag === 'en') return tag;
  }
  return 'en';
}
