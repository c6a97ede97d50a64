// Types partagés des notifications : priorités, états, entrée du service, forme renvoyée par l'API.
import type { Tx } from '../../db/transaction.js';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATES = ['unread', 'read', 'archived'] as const;
export type NotificationState = (typeof STATES)[number];

export const CHANNELS = ['inApp', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Texte dans les deux langues, ou clé de traduction (textes des modules, traductions du tenant). */
export type NotificationText = { en: string; fr: string } | string;

export interface NotifyInput {
  tenantId: string;
  /** identifiants d'utilisateurs du tenant */
  users?: string[];
  /** rôles (identifiants ou noms) : leurs membres directs et ceux des groupes qui les portent */
  roles?: string[];
  title: NotificationText;
  body?: NotificationText;
  /** paramètres `{nom}` des textes */
  params?: Record<string, string | number>;
  priority?: Priority;
  /** chemin de l'application (`/app/...`) ou adresse http(s) */
  link?: string;
  /** notifications du même groupe, pour le même utilisateur, dans la fenêtre : une seule ligne avec un compteur */
  groupKey?: string;
  category?: string;
  /** false : pas de courriel même si la préférence le demande (l'appelant l'envoie lui-même) */
  email?: boolean;
  /** transaction ouverte du tenant : les lignes sont validées (ou annulées) avec elle */
  trx?: Tx;
}

export interface NotifyResult {
  /** notifications créées ou cumulées, une par destinataire */
  ids: string[];
  recipients: number;
}

export interface NotificationView {
  id: string;
  state: NotificationState;
  priority: Priority;
  category: string | null;
  title: string;
  body: string | null;
  link: string | null;
  groupKey: string | null;
  count: number;
  createdAt: string;
  updatedAt: string;
  readAt: string | null;
  archivedAt: string | null;
}
