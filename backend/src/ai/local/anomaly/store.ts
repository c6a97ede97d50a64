// Références et anomalies gardées dans `ai_local_model` (RLS : jamais d'un tenant à l'autre) : une référence par
// champ surveillé (`anomaly.baseline` / `entité.champ`), un signalement par enregistrement inhabituel
// (`anomaly.flag` / `entité:id`), effacé quand l'enregistrement redevient ordinaire.
import type { Tx } from '../../../db/transaction.js';
import { deleteModels, listModels, readModel, writeModel } from '../model-store.js';
import type { Baseline } from './robust.js';

export const BASELINE_KIND = 'anomaly.baseline';
export const FLAG_KIND = 'anomaly.flag';

export interface FieldAnomaly {
  field: string;
  value: number;
  typical: number;
  ratio: number | null;
  z: number;
}

export interface AnomalyFlag {
  entity: string;
  recordId: string;
  fields: FieldAnomaly[];
  detectedAt: string;
}

export const baselineScope = (entity: string, field: string) => `${entity}.${field}`;
const flagScope = (entity: string, recordId: string) => `${entity}:${recordId}`;

export const readBaseline = async (trx: Tx, entity: string, field: string) => (await readModel<Baseline>(trx, BASELINE_KIND, baselineScope(entity, field)))?.model;
export const writeBaseline = (trx: Tx, entity: string, field: string, baseline: Baseline) =>
  writeModel(trx, BASELINE_KIND, baselineScope(entity, field), baseline, { n: baseline.n });

export const readFlag = async (trx: Tx, entity: string, recordId: string) => (await readModel<AnomalyFlag>(trx, FLAG_KIND, flagScope(entity, recordId)))?.model;
export const writeFlag = (trx: Tx, flag: AnomalyFlag) => writeModel(trx, FLAG_KIND, flagScope(flag.entity, flag.recordId), flag);
export const clearFlag = (trx: Tx, entity: string, recordId: string) => deleteModels(trx, FLAG_KIND, flagScope(entity, recordId));

/** Signalements du tenant, les plus récents d'abord. */
export const listFlags = async (trx: Tx) => (await listModels<AnomalyFlag>(trx, FLAG_KIND)).map((m) => m.model);
