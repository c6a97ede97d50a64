// Refus d'un document illisible ou hors limites : 422 avec un code précis (problem+json), message FR/EN.
import { ProblemError } from '../../../errors/problem.js';
import { message, type Locale } from '../../../text/messages.js';

export type DocumentRefusal = 'document_unreadable' | 'document_too_large' | 'document_too_many_pages' | 'document_page_too_large'
  | 'document_unsupported_type' | 'document_timeout';

export class DocumentError extends ProblemError {
  constructor(readonly reason: DocumentRefusal, readonly params: Record<string, string | number>, locale: Locale = 'en') {
    super(422, reason, message(locale, reason, params));
  }
}
