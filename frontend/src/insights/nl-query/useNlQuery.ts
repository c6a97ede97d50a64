// Question en langage naturel dans la recherche d'une liste : interprétée par POST /ai/nl-query (analyseur local, sans
// modèle de langue) en filtre et tri de la liste ; l'interprétation reste visible et amovible.
import { useState } from 'react';
import { api } from '../../api/client';

export interface NlAnswer {
  understood: boolean;
  entity?: string;
  label?: string;
  filter?: Record<string, unknown>;
  sort?: string;
  count?: boolean;
  aggregate?: { measures: { fn: string; field?: string }[]; groupBy: string[] };
  explanation?: string;
  reason?: 'empty' | 'destructive' | 'no_entity' | 'not_understood';
  suggestions?: string[];
  result?: { total: number; groups?: { keys: Record<string, unknown>; values: Record<string, unknown> }[] };
}

/** Une phrase plutôt qu'un mot-clé : au moins trois mots, ou un nombre avec des mots, ou une tournure de question. */
export function looksLikeQuestion(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length >= 3) return true;
  if (words.length >= 2 && /\d/.test(text)) return true;
  return /^(combien|how|top|les|the|clients?|customers?)\b/i.test(text.trim()) && words.length >= 2;
}

export function useNlQuery(entity: string) {
  const [answer, setAnswer] = useState<(NlAnswer & { question: string }) | undefined>();
  const [pending, setPending] = useState(false);

  async function ask(question: string): Promise<NlAnswer | undefined> {
    setPending(true);
    try {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const result = await api.request<NlAnswer>('POST', '/ai/nl-query', { question, entity, execute: true, limit: 1, ...(timeZone ? { timeZone } : {}) });
      setAnswer({ ...result, question });
      return result;
    } finally {
      setPending(false);
    }
  }

  return { answer, pending, ask, clear: () => setAnswer(undefined) };
}
