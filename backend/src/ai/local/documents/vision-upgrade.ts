// Relève par un fournisseur : quand le tenant route la fonction `ocr` vers un fournisseur (réglage ai.routing.ocr),
// une page scannée mal lue localement est envoyée au modèle de vision par la passerelle (budgets, journal, politique
// de sortie) ; sans routage explicite, rien ne sort. Un échec du fournisseur garde la lecture locale.
import type { AiGateway } from '../../gateway.js';
import type { Settings } from '../../../config/settings.js';
import type { OcrPage } from './ocr-engine.js';

/** En dessous de cette confiance locale, la page part au fournisseur routé. */
export const UPGRADE_BELOW = 0.7;
/** Confiance donnée à une transcription du fournisseur (il n'en rend pas). */
const PROVIDER_CONFIDENCE = 0.9;

export type PageUpgrade = (png: Buffer, local: OcrPage) => Promise<OcrPage & { provider?: string }>;

export interface VisionUpgradeDeps { gateway: Pick<AiGateway, 'chat'>; settings: Pick<Settings, 'value'> }

/** La relève du tenant, ou rien s'il ne route pas `ocr`. */
export async function visionUpgrade(deps: VisionUpgradeDeps, tenantId: string, requestId: string, signal?: AbortSignal): Promise<PageUpgrade | undefined> {
  const routing = await deps.settings.value<Record<string, string[] | undefined>>('ai.routing', { tenantId });
  if (!routing.ocr?.length) return undefined;
  return async (png, local) => {
    if (local.confidence >= UPGRADE_BELOW) return local;
    try {
      const result = await deps.gateway.chat({
        tenantId, userId: null, feature: 'ocr', requestId, signal,
        system: 'Transcribe all the printed text of this document page, line by line, as plain text, keeping numbers, dates and codes exactly. Add nothing.',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Page to transcribe:' }, { type: 'image', image: new Uint8Array(png), mediaType: 'image/png' }] }],
      });
      return result.text.trim() ? { text: result.text, confidence: PROVIDER_CONFIDENCE, provider: result.provider } : local;
    } catch {
      return local;
    }
  };
}
