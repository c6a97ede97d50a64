// Travaux de fond : types partagés par la file, le planificateur cron et les services qui y déposent du travail
// (webhooks, courriels, notifications, modules).
import type { Tx } from '../../db/transaction.js';

/** Un travail tel que son gestionnaire le reçoit. */
export interface JobRun<P = Record<string, unknown>> {
  id: string;
  name: string;
  /** tenant du travail ; null : travail de la plateforme */
  tenantId: string | null;
  payload: P;
  /** numéro de la tentative en cours (1 pour la première) */
  attempt: number;
  maxAttempts: number;
  /** interrompu à l'échéance du délai : un gestionnaire coopératif s'arrête */
  signal: AbortSignal;
}

export interface JobDefinition<P = Record<string, unknown>> {
  /** nom unique (`webhook.deliver`, `email.send`, `crm.digest`…) */
  name: string;
  label?: { en: string; fr: string };
  /** exécute le travail ; le résultat (JSON) est gardé dans l'historique ; une exception déclenche une nouvelle tentative */
  handler: (job: JobRun<P>) => Promise<unknown>;
  /** tentatives au plus (défaut 3) */
  maxAttempts?: number;
  /** délai avant la 2e tentative, doublé ensuite (défaut 1 000 ms, plafonné à une heure) */
  backoffMs?: number;
  /** durée maximale d'une tentative (défaut 60 000 ms) */
  timeoutMs?: number;
  /** un administrateur peut le lancer ou le planifier depuis l'API (sinon : seulement le code) */
  manual?: boolean;
  /**
   * Appelé une fois par lot réservé, avant les gestionnaires : lit en une requête ce dont chacun aura besoin. Une
   * erreur est ignorée (chaque gestionnaire lira alors lui-même).
   */
  prepare?: (jobs: Array<JobRun<P>>) => Promise<void>;
}

export interface EnqueueOptions {
  /** transaction en cours : le travail n'existe qu'une fois celle-ci validée (outbox) */
  trx?: Tx;
  /** pas avant cette date */
  runAt?: Date;
  /** au plus un travail en attente ou en cours pour ce nom et cette clé (dans le tenant) */
  singletonKey?: string;
  maxAttempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  priority?: number;
  /** utilisateur qui a demandé le travail */
  createdBy?: string | null;
  scheduleId?: string | null;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
