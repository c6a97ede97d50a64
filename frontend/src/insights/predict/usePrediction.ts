// Requêtes de la prédiction de saisie : valeurs habituelles (GET /ai/predictions) et mots suivants
// (POST /ai/predictions/next-words), lancées peu après la dernière frappe ; muettes en cas d'erreur (champ refusé…).
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DELAY_MS = 200;

/** La valeur, une fois la frappe posée. */
function useSettled<T>(value: T): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/** Contexte du formulaire : ses champs de référence renseignés (`client:<uuid>,…`). */
export function contextOf(form: Record<string, unknown> | undefined, field: string): string | undefined {
  const pairs = Object.entries(form ?? {})
    .filter(([name, value]) => name !== field && name !== 'id' && /^[a-zA-Z][a-zA-Z0-9_]*$/.test(name) && typeof value === 'string' && UUID.test(value))
    .slice(0, 10)
    .map(([name, value]) => `${name}:${String(value)}`);
  return pairs.length ? pairs.join(',') : undefined;
}

export function useValueSuggestions(entity: string, field: string, typed: string | null, context?: string) {
  const prefix = useSettled(typed);
  return useQuery({
    queryKey: ['ai-predictions', entity, field, prefix, context],
    enabled: prefix !== null,
    retry: false,
    staleTime: 60_000,
    queryFn: () => {
      const params = new URLSearchParams({ entity, field, prefix: prefix ?? '', limit: '5' });
      if (context) params.set('context', context);
      return api.request<{ suggestions: Array<{ value: string; score: number }> }>('GET', `/ai/predictions?${params.toString()}`);
    },
  });
}

export function useNextWords(entity: string, field: string, typed: string | null) {
  const text = useSettled(typed);
  return useQuery({
    queryKey: ['ai-next-words', entity, field, text],
    enabled: text !== null && text.trim().length > 0,
    retry: false,
    staleTime: 60_000,
    queryFn: () => api.request<{ completions: Array<{ text: string; score: number }> }>('POST', '/ai/predictions/next-words', { entity, field, text }),
  });
}
