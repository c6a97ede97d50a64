// Ce que le tenant offre en IA (GET /api/v1/ai/capabilities) : une requête partagée, relue toutes les cinq minutes.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export interface AiCapabilities {
  assistant: boolean;
  /** suggestions d'IA sur les champs des fiches */
  suggestions: boolean;
  vision: boolean;
  embeddings: boolean;
  transcription: boolean;
  browserSpeech: boolean;
}

export function useAiCapabilities(): AiCapabilities | undefined {
  return useQuery({
    queryKey: ['ai', 'capabilities'],
    queryFn: () => api.request<AiCapabilities>('GET', '/ai/capabilities'),
    staleTime: 300_000,
  }).data;
}
