// Une lecture de document : la lancer sur une pièce jointe, suivre son état (rafraîchi tant qu'elle tourne),
// puis confirmer ou rejeter le brouillon relu (API des enregistrements : audit et droits de l'entité).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { running, type ExtractedFields, type Extraction } from './types';

export function useExtraction(id: string | undefined) {
  return useQuery({
    queryKey: ['ai-document', id],
    queryFn: () => api.request<Extraction>('GET', `/ai/documents/${id}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (running(query.state.data?.status) ? 700 : false),
  });
}

export function useStartExtraction(onStarted: (id: string) => void) {
  return useMutation({
    mutationFn: (fileId: string) => api.request<{ id: string }>('POST', '/ai/documents', { fileId }),
    onSuccess: (started) => onStarted(started.id),
  });
}

export function useReview(extraction: Extraction | undefined) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (change: { status: 'confirmed' | 'rejected'; fields?: ExtractedFields; supplier?: string | null }) =>
      api.request('PATCH', `/data/document_extraction/${extraction!.id}`, change),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['ai-document', extraction?.id] }).then(() => queries.invalidateQueries({ queryKey: ['ai-documents'] })),
  });
}
