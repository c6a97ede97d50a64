// Réglages d'IA du tenant édités par l'onglet « Fournisseurs » : lecture (la requête des réglages de la console),
// écriture au niveau du tenant, contrôle d'une saisie d'après le schéma JSON que le serveur déclare (mêmes règles
// que lui, avant l'envoi) et bandeau du résultat de chaque enregistrement.
import { useCallback, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { MessageStrip } from '@ui5/webcomponents-react';
import { problemText } from '../../api/client';
import { deleteSetting, putSetting, SETTINGS_KEY, useSettings, type Setting, type SettingSchema, mergeSetting } from '../settingsApi';

/** Un fournisseur de `ai.providers` (la clé est à part, dans `ai.providerKeys`). */
export interface AiProvider {
  name: string;
  kind: string;
  baseUrl?: string;
  chatModel: string;
  embeddingModel?: string;
  transcriptionModel?: string;
  timeoutSeconds?: number;
  external?: boolean;
  inputCostPerMillion?: number;
  outputCostPerMillion?: number;
}

/** Réglages `ai.*` par clé, et ceux de l'écran déjà typés. */
export function useAiSettings() {
  const settings = useSettings();
  const byKey = useMemo(() => new Map((settings.data ?? []).map((s) => [s.key, s])), [settings.data]);
  const get = useCallback((key: string): Setting | undefined => byKey.get(key), [byKey]);
  return { query: settings, get, providers: (byKey.get('ai.providers')?.value ?? []) as AiProvider[] };
}

/** Pose ou retire (null) la clé d'un fournisseur, sans toucher aux autres ; puis relit. */
export function useSaveProviderKey() {
  const queries = useQueryClient();
  return useCallback(async (name: string, key: string | null) => {
    await mergeSetting('ai.providerKeys', { [name]: key }, 'tenant');
    await queries.invalidateQueries({ queryKey: SETTINGS_KEY });
  }, [queries]);
}

/** Écrit une valeur au niveau du tenant (undefined : la retire, la plateforme ou le défaut reprend), puis relit. */
export function useSaveAiSetting() {
  const queries = useQueryClient();
  return useCallback(async (key: string, value: unknown) => {
    if (value === undefined) await deleteSetting(key, 'tenant');
    else await putSetting(key, value, 'tenant');
    await queries.invalidateQueries({ queryKey: SETTINGS_KEY });
  }, [queries]);
}

type Notice = { design: 'Positive' | 'Negative'; text: string } | undefined;

/**
 * Bandeau de résultat d'une section : `run` exécute un enregistrement et dit s'il a réussi ; `failures` compte les
 * échecs (clé d'un interrupteur à remonter : il montre de nouveau la valeur enregistrée).
 */
export function useNotice(section: string) {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<Notice>();
  const [failures, setFailures] = useState(0);
  const run = useCallback(async (action: () => Promise<void>, success: string): Promise<boolean> => {
    setNotice(undefined);
    try {
      await action();
      setNotice({ design: 'Positive', text: success });
      return true;
    } catch (failure) {
      setNotice({ design: 'Negative', text: t('ai.setup.saveFailed', { detail: problemText(failure) }) });
      setFailures((n) => n + 1);
      return false;
    }
  }, [t]);
  const strip = notice && (
    <MessageStrip design={notice.design} onClose={() => setNotice(undefined)} role={notice.design === 'Negative' ? 'alert' : 'status'}
      data-notice={section} data-message={notice.design}>{notice.text}</MessageStrip>
  );
  return { run, strip, setNotice, failures };
}

const NUMERIC = new Set(['integer', 'number']);

/**
 * Message d'une saisie refusée par le schéma du champ (nombre, bornes, longueur, motif) ; undefined si elle convient.
 * Vide : absente, refusée seulement si le champ est requis. `field` choisit l'explication d'un motif.
 */
export function schemaError(t: TFunction, field: string, schema: SettingSchema | undefined, text: string, required = false): string | undefined {
  const value = text.trim();
  if (!value) return required ? t('ai.setup.errors.required') : undefined;
  if (!schema) return undefined;
  if (NUMERIC.has(schema.type ?? '')) {
    const n = Number(value);
    if (!Number.isFinite(n)) return t('ai.setup.errors.number');
    if (schema.type === 'integer' && !Number.isInteger(n)) return t('ai.setup.errors.integer');
    const { minimum: min, maximum: max } = schema;
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      return max === undefined ? t('ai.setup.errors.min', { min }) : t('ai.setup.errors.range', { min: min ?? 0, max });
    }
    return undefined;
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return t('ai.setup.errors.tooLong', { max: schema.maxLength });
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
    return t(`ai.setup.errors.pattern.${field}`, { defaultValue: t('ai.setup.errors.pattern.other') });
  }
  return undefined;
}

/** Valeur d'une saisie contrôlée : nombre pour un schéma numérique, texte sinon ; undefined si vide. */
export function schemaValue(schema: SettingSchema | undefined, text: string): string | number | undefined {
  const value = text.trim();
  if (!value) return undefined;
  return NUMERIC.has(schema?.type ?? '') ? Number(value) : value;
}

/** Texte d'une valeur dans un champ de saisie. */
export const asText = (value: unknown) => (value === undefined || value === null ? '' : String(value));
