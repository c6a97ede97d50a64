// Outil de l'assistant `analyse_text` : l'analyse locale d'un texte, comme l'utilisateur (les tiers et références
// retrouvés sont ceux qu'il peut lire).
import { tool } from 'ai';
import { z } from 'zod';
import { toolSchema } from '../../assistant/tools.js';
import type { LocalToolFactory } from '../tools.js';
import type { NlpService } from './service.js';

export function nlpTool(nlp: NlpService): LocalToolFactory {
  return ({ ctx }) => ({
    analyse_text: tool({
      description: 'Analyse a text locally (no AI provider): language, sentiment score (-1 to 1) and label, keywords, and named entities — people and '
        + 'organisations matched to the parties you can read, record references (eids such as customer-000123), amounts with currency, dates, e-mails, phones.',
      inputSchema: toolSchema(z.object({ text: z.string().min(1).max(20_000), locale: z.enum(['fr', 'en']).optional() })),
      execute: async ({ text, locale }) => {
        try {
          return await nlp.analyse(ctx, text, locale);
        } catch (error) {
          throw new Error(error instanceof Error ? error.message : String(error));
        }
      },
    }),
  });
}
