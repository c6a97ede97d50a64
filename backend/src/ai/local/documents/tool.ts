// Outil `read_document` de l'assistant (et de MCP) : lit une pièce jointe que l'utilisateur peut lire (couche texte
// d'un PDF, OCR sinon) et en extrait les champs de facture avec leur confiance ; rien n'est écrit.
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import { recordId, toolSchema } from '../../assistant/tools.js';
import { asToolResult } from '../tool-errors.js';
import type { LocalToolFactory } from '../tools.js';
import type { DocumentService } from './service.js';

/** Texte rendu au modèle au plus (le reste est coupé). */
const MAX_TEXT = 6000;

export function readDocumentTool(documents: DocumentService): LocalToolFactory {
  return ({ ctx }): ToolSet => ({
    read_document: tool({
      description: 'Read a file attached to a record (image or PDF; fileId is the attachment id from the file manager): recognised text, '
        + 'and invoice/receipt fields (supplier, number, dates, totals, VAT lines, currency, IBAN) each with a confidence between 0 and 1, '
        + 'plus the existing supplier it matches. Runs locally; nothing is saved.',
      inputSchema: toolSchema(z.object({ fileId: recordId() })),
      execute: ({ fileId }, { abortSignal }) => asToolResult(ctx, async () => {
        const result = await documents.readNow(ctx, fileId.toLowerCase(), abortSignal);
        return { ...result, text: result.text.slice(0, MAX_TEXT), truncated: result.text.length > MAX_TEXT };
      }),
    }),
  });
}
