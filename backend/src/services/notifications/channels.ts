// Préférences de canaux de chaque utilisateur (en application, courriel) par priorité, avec des exceptions par
// catégorie ; rangées par le service des préférences utilisateur sous la clé `notifications.channels`. La préférence
// existante `notifications.email` reste l'interrupteur général du courriel.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FieldError } from '@opsflux/sdk';
import type { Locale } from '../../text/messages.js';
import { schemaFieldErrors } from '../../text/schema-errors.js';
import type { PreferenceDeclaration } from '../../iam/preferences.js';
import { PRIORITIES, type Channel, type Priority } from './types.js';

export const CHANNELS_KEY = 'notifications.channels';
export const EMAIL_SWITCH_KEY = 'notifications.email';

export type ChannelChoice = Partial<Record<Channel, boolean>>;

export interface ChannelPreferences {
  /** interrupteur général du courriel */
  email: boolean;
  priorities: Record<Priority, Record<Channel, boolean>>;
  /** exceptions par catégorie : elles l'emportent sur la priorité, canal par canal */
  categories: Record<string, ChannelChoice>;
}

/** par défaut : tout en application, courriel pour l'urgent seulement */
const DEFAULT_PRIORITIES: ChannelPreferences['priorities'] = {
  low: { inApp: true, email: false },
  normal: { inApp: true, email: false },
  high: { inApp: true, email: false },
  urgent: { inApp: true, email: true },
};

const CHOICE = { type: 'object', additionalProperties: false, properties: { inApp: { type: 'boolean' }, email: { type: 'boolean' } } };
const STORED = {
  type: 'object',
  additionalProperties: false,
  properties: {
    priorities: { type: 'object', additionalProperties: false, properties: Object.fromEntries(PRIORITIES.map((p) => [p, CHOICE])) },
    categories: { type: 'object', maxProperties: 100, propertyNames: { pattern: '^[a-z][a-zA-Z0-9_.-]{0,63}$' }, additionalProperties: CHOICE },
  },
};
const PAYLOAD = { ...STORED, properties: { ...STORED.properties, email: { type: 'boolean' } } };

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateStored = ajv.compile(STORED);
const validatePayload = ajv.compile(PAYLOAD);

/** Déclaration de la préférence (type json contrôlé par le schéma ci-dessus). */
export const channelsPreference: PreferenceDeclaration = {
  key: CHANNELS_KEY,
  type: 'json',
  default: { priorities: DEFAULT_PRIORITIES, categories: {} },
  validate: (value) => (validateStored(value) ? undefined : ajv.errorsText(validateStored.errors)),
};

/** Erreurs de champ d'un corps `PUT /notifications/preferences` (vide : valide). */
export function payloadErrors(value: unknown, locale: Locale): FieldError[] {
  if (validatePayload(value)) return [];
  return schemaFieldErrors(validatePayload.errors, '', locale).map((e) => (e.field ? e : { ...e, field: 'body' }));
}

export interface ChannelsPayload {
  email?: boolean;
  priorities?: Partial<Record<Priority, ChannelChoice>>;
  categories?: Record<string, ChannelChoice>;
}

/** Préférences complètes à partir des valeurs rangées (absentes ou partielles : valeurs par défaut). */
export function effectiveChannels(stored: { channels?: unknown; email?: unknown }): ChannelPreferences {
  const channels = (stored.channels ?? {}) as ChannelsPayload;
  return {
    email: stored.email !== false,
    priorities: mergePriorities(DEFAULT_PRIORITIES, channels.priorities),
    categories: channels.categories ?? {},
  };
}

/** Valeur à ranger après un PUT : priorités fusionnées, catégories remplacées si données. */
export function nextChannels(current: ChannelPreferences, payload: ChannelsPayload): { priorities: ChannelPreferences['priorities']; categories: Record<string, ChannelChoice> } {
  return { priorities: mergePriorities(current.priorities, payload.priorities), categories: payload.categories ?? current.categories };
}

function mergePriorities(base: ChannelPreferences['priorities'], patch: ChannelsPayload['priorities'] = {}): ChannelPreferences['priorities'] {
  return Object.fromEntries(PRIORITIES.map((p) => [p, { ...base[p], ...patch[p] }])) as ChannelPreferences['priorities'];
}

/** Canaux retenus pour une notification de cette priorité et de cette catégorie. */
export function channelsFor(prefs: ChannelPreferences, priority: Priority, category: string | null): Record<Channel, boolean> {
  const special = category ? prefs.categories[category] : undefined;
  const inApp = special?.inApp ?? prefs.priorities[priority].inApp;
  const email = prefs.email && (special?.email ?? prefs.priorities[priority].email);
  return { inApp, email };
}
