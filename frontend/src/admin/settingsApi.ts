// Réglages vus par la console : déclarations et valeurs effectives (GET /api/v1/settings, une requête partagée par
// la page des réglages et celle de l'IA) et écriture d'une valeur à un niveau. Un secret n'est jamais renvoyé :
// `isSet` dit seulement s'il est posé (à un niveau quelconque).
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export interface SettingSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: { type?: string }[];
  properties?: Record<string, SettingSchema>;
  items?: SettingSchema;
  required?: string[];
}

export interface Setting {
  key: string;
  label: Record<string, string>;
  description?: Record<string, string>;
  scope: string;
  secret: boolean;
  schema: SettingSchema;
  default: unknown;
  /** absente pour un secret */
  value: unknown;
  /** secrets seulement : une valeur est posée */
  isSet?: boolean;
  /** secret objet (nom → clé) : les noms de ses entrées, jamais leurs valeurs */
  setKeys?: string[];
  source: string;
}

export const SETTINGS_KEY = ['settings'];

export function useSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api.request<{ data: Setting[] }>('GET', '/settings').then((r) => r.data) });
}

/** Retire la valeur d'un niveau : le niveau plus large ou la valeur par défaut reprend la main. */
export function deleteSetting(key: string, level?: 'platform' | 'tenant'): Promise<unknown> {
  return api.request('DELETE', `/settings/${encodeURIComponent(key)}${level ? `?level=${level}` : ''}`);
}

/** Fusionne des entrées dans un réglage objet (JSON Merge Patch : null en retire une), sans relire un secret. */
export function mergeSetting(key: string, value: Record<string, unknown>, level?: 'platform' | 'tenant'): Promise<Setting> {
  return api.request<Setting>('PATCH', `/settings/${encodeURIComponent(key)}`, { value, ...(level ? { level } : {}) });
}

/** Pose une valeur (niveau par défaut de l'API : celui du tenant, ou la propre valeur d'un réglage d'utilisateur). */
export function putSetting(key: string, value: unknown, level?: 'platform' | 'tenant'): Promise<Setting> {
  return api.request<Setting>('PUT', `/settings/${encodeURIComponent(key)}`, { value, ...(level ? { level } : {}) });
}
