// Réglages du cœur : valeurs de sécurité et de service auparavant écrites en dur, désormais administrables.
import { defineSetting, type Label, type SettingDeclaration } from '@opsflux/sdk';
import { AI_SETTINGS } from '../ai/settings.js';
import { DOCUMENT_SETTINGS } from '../ai/local/documents/settings.js';
import { NL_QUERY_SETTINGS } from '../ai/local/nl-query/settings.js';
import { ANALYTICS_SETTINGS } from '../analytics/settings.js';
import { NLP_SETTINGS } from '../ai/local/nlp/settings.js';
import { PREDICT_SETTINGS } from '../ai/local/predict/settings.js';
import type { CoreSettingDeclaration } from './registry.js';

/** Entier borné réglable : [clé, min, max, défaut, libellé, description]. */
type TenantInteger = [key: string, minimum: number, maximum: number, fallback: number, label: Label, description?: Label];

const TENANT_INTEGERS: TenantInteger[] = [
  ['security.password.minLength', 8, 128, 10, { en: 'Minimum password length', fr: 'Longueur minimale des mots de passe' }],
  ['security.password.minClasses', 1, 4, 1, { en: 'Character classes required in passwords', fr: 'Classes de caractères exigées dans les mots de passe' },
    { en: 'Among lowercase, uppercase, digits and symbols.', fr: 'Parmi minuscules, majuscules, chiffres et symboles.' }],
  ['security.lockout.threshold', 3, 100, 10, { en: 'Failed sign-ins before an account is locked', fr: 'Échecs de connexion avant verrouillage du compte' }],
  ['security.lockout.minutes', 1, 1440, 15, { en: 'Lockout duration (minutes)', fr: 'Durée du verrouillage (minutes)' }],
  ['security.session.accessMinutes', 1, 1440, 15, { en: 'Access token lifetime (minutes)', fr: "Durée de vie du jeton d'accès (minutes)" }],
  ['security.session.refreshDays', 1, 365, 30, { en: 'Session lifetime without activity (days)', fr: 'Durée de vie d’une session sans activité (jours)' }],
  ['security.passwordReset.minutes', 5, 1440, 60, { en: 'Password reset link validity (minutes)', fr: 'Validité du lien de réinitialisation (minutes)' }],
  ['security.emailVerification.minutes', 10, 43_200, 1440, { en: 'Email verification link validity (minutes)', fr: 'Validité du lien de vérification (minutes)' }],
  ['import.maxMegabytes', 1, 10_240, 1024, { en: 'Largest file accepted for an import (MB)', fr: 'Taille maximale d’un fichier à importer (Mo)' }],
  ['import.maxErrors', 1, 1_000_000, 10_000, { en: 'Errors after which an import stops', fr: 'Nombre d’erreurs qui arrête un import' },
    { en: 'Every error is kept in the downloadable report.', fr: 'Chaque erreur figure dans le rapport téléchargeable.' }],
  ['shortener.codeLength', 5, 32, 7, { en: 'Length of generated short link codes', fr: 'Longueur des codes de liens courts générés' }],
  ['currency.rates.maxAgeDays', 0, 3650, 7, { en: 'Oldest exchange rate used for a conversion (days before its date)', fr: 'Ancienneté maximale du taux de change utilisé (jours)' }],
  ['webhooks.timeoutSeconds', 1, 60, 10, { en: 'Time a webhook receiver has to answer (seconds)', fr: 'Délai de réponse d’un destinataire de webhook (secondes)' }],
  ['webhooks.maxFailures', 1, 1000, 20, { en: 'Consecutive failed deliveries before a webhook is disabled', fr: 'Envois échoués consécutifs avant la désactivation d’un webhook' },
    { en: 'A delivery fails once all its retries have failed; a success resets the count.', fr: 'Un envoi échoue quand toutes ses tentatives ont échoué ; un succès remet le compte à zéro.' }],
  ['notifications.expireAfterDays', 0, 3650, 90, { en: 'Days after which a notification expires (0: never)', fr: 'Jours après lesquels une notification expire (0 : jamais)' },
    { en: 'Expired notifications are removed, whatever their state.', fr: 'Les notifications expirées sont supprimées, quel que soit leur état.' }],
  ['notifications.coalesceMinutes', 1, 1440, 10, { en: 'Window in which notifications of one group are merged (minutes)', fr: 'Fenêtre de regroupement des notifications d’un même groupe (minutes)' }],
  ['notifications.maxPerUserPerMinute', 1, 10_000, 30, { en: 'New notifications per user and per minute', fr: 'Nouvelles notifications par utilisateur et par minute' },
    { en: 'Beyond it, further ones are counted in one “More notifications” entry.', fr: 'Au-delà, les suivantes sont comptées dans une entrée « Autres notifications ».' }],
  ['errors.spikePerHour', 2, 100_000, 50, { en: 'Occurrences of one error within an hour that alert the administrators', fr: 'Occurrences d’une même erreur dans l’heure qui alertent les administrateurs' },
    { en: 'A new kind of error alerts them at once.', fr: 'Un nouveau type d’erreur les alerte aussitôt.' }],
  ['api.rateLimit.perMinute', 1, 1_000_000, 600, { en: 'Requests per minute allowed to each API key', fr: 'Requêtes par minute permises à chaque clé d’API' },
    { en: 'Default of the keys without their own limit; beyond it, 429 with Retry-After.', fr: 'Valeur des clés sans limite propre ; au-delà, réponse 429 avec Retry-After.' }],
];

/** Entiers bornés de la plateforme (limitation des tentatives : par adresse IP, tous tenants confondus). */
const PLATFORM_INTEGERS: TenantInteger[] = [
  ['security.throttle.loginFailures', 3, 1000, 10, { en: 'Failed sign-ins per account or address before a pause', fr: 'Échecs de connexion par compte ou adresse avant une pause' }],
  ['security.throttle.resetRequests', 1, 100, 5, { en: 'Password reset requests per address before a pause', fr: 'Demandes de réinitialisation par adresse avant une pause' }],
  ['import.batchSize', 10, 20_000, 5000, { en: 'Rows written per statement during an import', fr: 'Lignes écrites par instruction pendant un import' }],
  ['import.concurrency', 1, 16, 2, { en: 'Imports running at once on each server', fr: 'Imports exécutés en même temps sur chaque serveur' }],
  ['jobs.retentionDays', 1, 3650, 30, { en: 'Days the history of finished jobs is kept', fr: 'Jours de conservation de l’historique des travaux terminés' }],
  ['security.throttle.windowMinutes', 1, 1440, 15, { en: 'Length of the throttling window (minutes)', fr: 'Durée de la fenêtre de limitation (minutes)' }],
  ['api.body.maxMegabytes', 1, 100, 5, { en: 'Largest JSON or form request body (MB)', fr: 'Taille maximale du corps d’une requête JSON ou de formulaire (Mo)' },
    { en: 'Read when the server starts: a change takes effect at the next restart. File uploads have their own limits (files.maxMegabytes, import.maxMegabytes, modules.upload.maxMegabytes).',
      fr: 'Lu au démarrage du serveur : un changement prend effet au prochain redémarrage. Les envois de fichiers ont leurs propres limites (files.maxMegabytes, import.maxMegabytes, modules.upload.maxMegabytes).' }],
  ['jobs.concurrency', 1, 1000, 32, { en: 'Background jobs run at once on each server', fr: 'Travaux de fond exécutés en même temps sur chaque serveur' },
    { en: 'Webhook deliveries and emails mostly wait on the network. A server started with OPSFLUX_JOB_CONCURRENCY uses that value instead.',
      fr: 'Envois de webhooks et courriels attendent surtout le réseau. Un serveur démarré avec OPSFLUX_JOB_CONCURRENCY utilise cette valeur à la place.' }],
  ['jobs.payload.maxKilobytes', 16, 16_384, 256, { en: 'Largest data of a background job, as JSON (KB)', fr: 'Taille maximale des données d’un travail de fond, en JSON (Ko)' },
    { en: 'Checked when a job is queued (started by hand, by a schedule or by an automation rule).', fr: 'Contrôlée au dépôt du travail (lancé à la main, par une planification ou par une règle d’automatisation).' }],
  ['modules.manifest.maxKilobytes', 16, 4096, 256, { en: 'Largest module manifest, metadata.json (KB)', fr: 'Taille maximale d’un manifeste de module, metadata.json (Ko)' }],
  ['modules.catalog.cacheSeconds', 0, 86_400, 60, { en: 'Time the remote module catalog is kept before it is read again (seconds)', fr: 'Durée de conservation du catalogue distant de modules avant relecture (secondes)' }],
  ['modules.catalog.timeoutSeconds', 1, 300, 10, { en: 'Time the remote module catalog has to answer (seconds)', fr: 'Délai de réponse du catalogue distant de modules (secondes)' },
    { en: 'For its listing and for each package downloaded from it.', fr: 'Pour sa liste et pour chaque paquet qui en est téléchargé.' }],
  ['modules.tasks.catchUpMinutes', 1, 1440, 10, { en: 'Oldest missed slot of a module task still run (minutes)', fr: 'Ancienneté maximale d’un créneau manqué de tâche de module encore exécuté (minutes)' },
    { en: 'After an interruption, only the last missed slot of each task runs, and only if it is at most this old.', fr: 'Après une interruption, seul le dernier créneau manqué de chaque tâche s’exécute, et seulement s’il n’est pas plus ancien.' }],
  ['notifications.feed.catchUpSeconds', 5, 3600, 30, { en: 'Interval of the safety re-read of each live notification stream (seconds)', fr: 'Intervalle de la relecture de sécurité de chaque flux de notifications en direct (secondes)' },
    { en: 'Catches a lost wake-up signal; applies to the streams opened after the change.', fr: 'Rattrape un signal de réveil perdu ; s’applique aux flux ouverts après le changement.' }],
  ['notifications.feed.lookbackSeconds', 1, 300, 10, { en: 'Window re-read by live notification streams to catch late commits (seconds)', fr: 'Fenêtre relue par les flux de notifications pour rattraper les validations tardives (secondes)' }],
  ['currency.rates.timeoutSeconds', 1, 300, 15, { en: 'Time an exchange rate provider has to answer (seconds)', fr: 'Délai de réponse d’un fournisseur de taux de change (secondes)' }],
  ['notifications.email.catchUpSeconds', 30, 86_400, 120, { en: 'Delay after which an unsent notification email is sent by the periodic sweep (seconds)', fr: 'Délai après lequel un courriel de notification non envoyé part avec le balayage périodique (secondes)' },
    { en: 'The server that wrote the notification normally sends it at once; this catches the emails of a server stopped before sending.', fr: 'Le serveur qui a écrit la notification l’envoie d’ordinaire aussitôt ; ceci rattrape les courriels d’un serveur arrêté avant l’envoi.' }],
];

/**
 * Limites plafonnées : l'exploitant fixe la valeur de la plateforme, l'administrateur d'un tenant peut la resserrer
 * pour son tenant, jamais l'élargir (au-delà, la valeur de la plateforme s'applique).
 */
const CAPPED_INTEGERS: TenantInteger[] = [
  ['automation.rules.maxPerTenant', 1, 10_000, 1000, { en: 'Automation rules per tenant', fr: 'Règles d’automatisation par tenant' },
    { en: 'Active or not, deleted ones excepted. A tenant value cannot exceed the platform value.', fr: 'Actives ou non, hors supprimées. La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
  ['automation.rules.maxActions', 1, 100, 10, { en: 'Actions per automation rule', fr: 'Actions par règle d’automatisation' },
    { en: 'A tenant value cannot exceed the platform value.', fr: 'La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
  ['api.keys.maxPerTenant', 1, 100_000, 1000, { en: 'Active API keys per tenant', fr: 'Clés d’API actives par tenant' },
    { en: 'Revoked keys do not count. A tenant value cannot exceed the platform value.', fr: 'Les clés révoquées ne comptent pas. La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
  ['api.tokens.maxPerUser', 1, 10_000, 100, { en: 'Active personal access tokens per user', fr: 'Jetons d’accès personnels actifs par utilisateur' },
    { en: 'Revoked tokens do not count. A tenant value cannot exceed the platform value.', fr: 'Les jetons révoqués ne comptent pas. La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
  ['email.attachments.maxCount', 1, 100, 10, { en: 'Attachments per email', fr: 'Pièces jointes par courriel' },
    { en: 'A tenant value cannot exceed the platform value.', fr: 'La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
  ['email.attachments.maxMegabytes', 1, 100, 20, { en: 'Total size of the attachments of an email (MB)', fr: 'Taille totale des pièces jointes d’un courriel (Mo)' },
    { en: 'Keep it under the limit of the SMTP server. A tenant value cannot exceed the platform value.', fr: 'À garder sous la limite du serveur SMTP. La valeur d’un tenant ne peut dépasser celle de la plateforme.' }],
];

/** Service compatible S3 du stockage des fichiers (clé secrète chiffrée au repos) ; un tenant peut avoir le sien. */
const S3_SETTINGS: SettingDeclaration[] = [
  defineSetting({ key: 'files.s3.endpoint', scope: 'tenant', schema: { type: 'string', pattern: '^(https?://.+)?$' }, default: '', label: { en: 'S3 endpoint URL', fr: 'URL du service S3' } }),
  defineSetting({ key: 'files.s3.bucket', scope: 'tenant', schema: { type: 'string', maxLength: 63 }, default: '', label: { en: 'S3 bucket', fr: 'Compartiment S3' } }),
  defineSetting({ key: 'files.s3.region', scope: 'tenant', schema: { type: 'string', minLength: 1, maxLength: 64 }, default: 'us-east-1', label: { en: 'S3 region', fr: 'Région S3' } }),
  defineSetting({ key: 'files.s3.accessKeyId', scope: 'tenant', schema: { type: 'string', maxLength: 128 }, default: '', label: { en: 'S3 access key', fr: 'Clé d’accès S3' } }),
  defineSetting({ key: 'files.s3.secretAccessKey', scope: 'tenant', secret: true, schema: { type: 'string', maxLength: 256 }, default: '', label: { en: 'S3 secret key', fr: 'Clé secrète S3' } }),
  defineSetting({
    key: 'files.s3.pathStyle', scope: 'tenant', schema: { type: 'boolean' }, default: true,
    label: { en: 'S3 path-style addresses (endpoint/bucket/key)', fr: 'Adresses S3 de style chemin (service/compartiment/clé)' },
  }),
];

/**
 * Serveur SMTP des courriels (mot de passe chiffré au repos) : un tenant qui pose `mail.smtp.host` utilise ses propres
 * réglages `mail.smtp.*` (jamais ceux de la plateforme) ; sinon ceux de la plateforme, puis l'environnement (SMTP_*).
 */
const MAIL_SETTINGS: SettingDeclaration[] = [
  defineSetting({ key: 'mail.smtp.host', scope: 'tenant', schema: { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]*$' }, default: '', label: { en: 'SMTP server', fr: 'Serveur SMTP' } }),
  defineSetting({ key: 'mail.smtp.port', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 65_535 }, default: 587, label: { en: 'SMTP port', fr: 'Port SMTP' } }),
  defineSetting({
    key: 'mail.smtp.secure', scope: 'tenant', schema: { type: 'boolean' }, default: false,
    label: { en: 'SMTP over TLS from the start (port 465)', fr: 'SMTP en TLS dès la connexion (port 465)' },
    description: { en: 'Off: STARTTLS when the server offers it.', fr: 'Désactivé : STARTTLS si le serveur le propose.' },
  }),
  defineSetting({ key: 'mail.smtp.user', scope: 'tenant', schema: { type: 'string', maxLength: 256 }, default: '', label: { en: 'SMTP user', fr: 'Utilisateur SMTP' } }),
  defineSetting({ key: 'mail.smtp.password', scope: 'tenant', secret: true, schema: { type: 'string', maxLength: 512 }, default: '', label: { en: 'SMTP password', fr: 'Mot de passe SMTP' } }),
  defineSetting({ key: 'mail.smtp.from', scope: 'tenant', schema: { type: 'string', maxLength: 320 }, default: '', label: { en: 'Sender address (From)', fr: "Adresse d'expédition (From)" } }),
  defineSetting({
    key: 'mail.defaultLocale', scope: 'tenant', schema: { type: 'string', pattern: '^[a-z]{2}(-[A-Z]{2})?$' }, default: 'en',
    label: { en: 'Language of emails when the recipient’s is unknown or has no template', fr: 'Langue des courriels quand celle du destinataire est inconnue ou sans modèle' },
  }),
];

const integers = (scope: 'platform' | 'tenant', list: TenantInteger[]) => list.map(([key, minimum, maximum, fallback, label, description]) => defineSetting({
  key, scope, schema: { type: 'integer', minimum, maximum }, default: fallback, label, ...(description ? { description } : {}),
}));

export const CORE_SETTINGS: CoreSettingDeclaration[] = [
  ...AI_SETTINGS,
  ...NLP_SETTINGS,
  ...PREDICT_SETTINGS,
  ...DOCUMENT_SETTINGS,
  ...NL_QUERY_SETTINGS,
  ...ANALYTICS_SETTINGS,
  ...integers('tenant', TENANT_INTEGERS),
  ...integers('platform', PLATFORM_INTEGERS),
  ...integers('tenant', CAPPED_INTEGERS).map((d) => ({ ...d, capped: true })),
  defineSetting({
    key: 'security.mfa.required', scope: 'tenant', schema: { type: 'boolean' }, default: false,
    label: { en: 'Two-factor authentication required for every user', fr: 'Double authentification exigée pour tous les utilisateurs' },
  }),
  defineSetting({
    key: 'security.sso.linkByVerifiedEmail', scope: 'platform', schema: { type: 'boolean' }, default: false,
    label: { en: 'Identity providers may link accounts by verified email', fr: "Les fournisseurs d'identité peuvent lier les comptes par adresse vérifiée" },
    description: {
      en: "Off: an external identity whose address is already an account's is refused until an administrator links it. On: providers with config.linkByVerifiedEmail link it when they assert the address is verified (never to a super-administrator).",
      fr: "Désactivé : une identité externe dont l'adresse est déjà celle d'un compte est refusée tant qu'un administrateur ne l'a pas liée. Activé : les fournisseurs dont config.linkByVerifiedEmail est vrai la lient s'ils attestent l'adresse vérifiée (jamais à un super-administrateur).",
    },
  }),
  defineSetting({
    key: 'webhooks.allowPrivateTargets', scope: 'platform', schema: { type: 'boolean' }, default: false,
    label: { en: 'Webhooks may call loopback and private addresses', fr: 'Les webhooks peuvent appeler des adresses locales et privées' },
    description: {
      en: 'Off: 127.0.0.0/8, 10/8, 172.16/12, 192.168/16, 100.64/10, ::1 and fc00::/7 are refused (link-local, metadata and multicast addresses always are). Webhooks only: outbound.allowList opens chosen addresses to every kind of connection.',
      fr: 'Désactivé : 127.0.0.0/8, 10/8, 172.16/12, 192.168/16, 100.64/10, ::1 et fc00::/7 sont refusées (lien local, métadonnées et multidiffusion le sont toujours). Webhooks seulement : outbound.allowList ouvre des adresses choisies à toutes les connexions.',
    },
  }),
  defineSetting({
    key: 'outbound.allowList', scope: 'platform', default: [],
    schema: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 300 } },
    label: { en: 'Private addresses that configured connections may reach', fr: 'Adresses privées que les connexions configurées peuvent joindre' },
    description: {
      en: 'Host names, IP addresses or CIDR ranges, each with an optional :port (minio.internal:9000, 10.0.0.5, 10.20.0.0/16). Loopback and private addresses are refused for S3, SMTP, LDAP, OpenID, exchange rates, the module catalog and webhooks unless listed here; link-local and metadata addresses always are.',
      fr: 'Noms d’hôte, adresses IP ou plages CIDR, chacun avec un :port facultatif (minio.internal:9000, 10.0.0.5, 10.20.0.0/16). Les adresses locales et privées sont refusées pour S3, SMTP, LDAP, OpenID, les taux de change, le catalogue de modules et les webhooks sauf si elles figurent ici ; celles de lien local et de métadonnées le sont toujours.',
    },
  }),
  defineSetting({
    key: 'api.docs.public', scope: 'platform', schema: { type: 'boolean' }, default: false,
    label: { en: 'API documentation without sign-in', fr: "Documentation de l'API sans connexion" },
    description: { en: '/api/openapi.json and /api/docs served to anyone.', fr: '/api/openapi.json et /api/docs servis à tous.' },
  }),
  defineSetting({
    key: 'files.maxMegabytes', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 10_240 }, default: 50,
    label: { en: 'Largest file accepted (MB)', fr: 'Taille maximale d’un fichier (Mo)' },
  }),
  defineSetting({
    key: 'files.quotaMegabytes', scope: 'tenant', schema: { type: 'integer', minimum: 1, maximum: 10_485_760 }, default: 10_240,
    label: { en: 'Storage quota of the tenant (MB)', fr: 'Quota de stockage du tenant (Mo)' },
  }),
  defineSetting({
    key: 'files.storage', scope: 'tenant', schema: { enum: ['local', 's3'] }, default: 'local',
    label: { en: 'File storage', fr: 'Stockage des fichiers' },
    description: { en: 'local: the data directory of the server; s3: an S3-compatible service (files.s3.*).', fr: 'local : le dossier de données du serveur ; s3 : un service compatible S3 (files.s3.*).' },
  }),
  ...S3_SETTINGS,
  ...MAIL_SETTINGS,
  defineSetting({
    key: 'shortener.allowedDomains', scope: 'tenant', schema: { type: 'array', maxItems: 200, items: { type: 'string', pattern: '^[a-z0-9.-]{1,253}$' } }, default: [],
    label: { en: 'Domains short links may lead to', fr: 'Domaines vers lesquels les liens courts peuvent mener' },
    description: { en: 'Empty: any http or https address. A domain also allows its subdomains.', fr: 'Vide : toute adresse http ou https. Un domaine autorise aussi ses sous-domaines.' },
  }),
  defineSetting({
    key: 'notifications.escalateAfterHours', scope: 'tenant', default: { low: 0, normal: 0, high: 24 },
    schema: { type: 'object', additionalProperties: false, required: ['low', 'normal', 'high'], properties: Object.fromEntries(['low', 'normal', 'high'].map((p) => [p, { type: 'integer', minimum: 0, maximum: 8760 }])) },
    label: { en: 'Hours after which an unread notification goes up one priority (0: never)', fr: 'Heures après lesquelles une notification non lue monte d’une priorité (0 : jamais)' },
    description: { en: 'Per priority: low → normal, normal → high, high → urgent.', fr: 'Par priorité : basse → normale, normale → haute, haute → urgente.' },
  }),
  defineSetting({
    key: 'currency.base', scope: 'tenant', schema: { type: 'string', pattern: '^[A-Z]{3}$' }, default: 'EUR',
    label: { en: 'Reference currency (conversions through it)', fr: 'Devise de référence (conversions par elle)' },
  }),
  defineSetting({
    key: 'currency.rounding', scope: 'tenant', schema: { enum: ['halfUp', 'halfEven'] }, default: 'halfUp',
    label: { en: 'Rounding of converted amounts', fr: 'Arrondi des montants convertis' },
    description: { en: 'halfUp: 0.5 goes up; halfEven: to the even neighbour (banker’s rounding).', fr: 'halfUp : 0,5 vers le haut ; halfEven : vers le voisin pair (arrondi bancaire).' },
  }),
  defineSetting({
    key: 'currency.rates.providerUrl', scope: 'tenant', default: null,
    schema: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^https?://', maxLength: 500 }] },
    label: { en: 'Exchange rate provider (ECB XML or CSV feed), fetched daily', fr: 'Fournisseur de taux de change (flux XML de la BCE ou CSV), lu chaque jour' },
  }),
  defineSetting({
    key: 'modules.upload.maxMegabytes', scope: 'platform', schema: { type: 'integer', minimum: 1, maximum: 500 }, default: 20,
    label: { en: 'Largest module package accepted (MB)', fr: 'Taille maximale d’un paquet de module (Mo)' },
  }),
  defineSetting({
    key: 'modules.licence.publicKeys', scope: 'platform', default: [],
    schema: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 40, maxLength: 1000 } },
    label: { en: 'Public keys trusted for module licences (Ed25519)', fr: 'Clés publiques reconnues pour les licences de modules (Ed25519)' },
    description: { en: 'PEM (SPKI) or 32 raw bytes in base64.', fr: 'PEM (SPKI) ou 32 octets bruts en base64.' },
  }),
  defineSetting({
    key: 'modules.catalog.url', scope: 'platform', default: null,
    schema: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^https?://', maxLength: 500 }] },
    label: { en: 'Remote module catalog (URL of a JSON listing)', fr: 'Catalogue distant de modules (URL d’une liste JSON)' },
  }),
];
