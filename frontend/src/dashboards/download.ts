// Téléchargement d'un fichier produit par l'API (analyse en Excel) : POST avec la session, puis lien temporaire.
import type { AnalyticsQuery } from '@opsflux/sdk';
import { ApiError, sessionFetch, sessionHeaders } from '../api/client';

export async function downloadAnalysis(query: AnalyticsQuery, title: string): Promise<void> {
  const response = await sessionFetch('/api/v1/analytics/export', {
    method: 'POST', credentials: 'same-origin',
    headers: { ...sessionHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify({ query, format: 'xlsx', title }),
  });
  if (!response.ok) throw new ApiError(response.status, await response.json());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${title}.xlsx`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
