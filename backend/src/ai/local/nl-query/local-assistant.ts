// Réponse locale de l'assistant quand aucun fournisseur d'IA n'est disponible : la question passe par l'analyseur
// local, s'exécute avec les droits de l'utilisateur, et la réponse suit les mêmes événements que l'assistant (texte,
// citations des enregistrements, fin avec le fournisseur `local`) ; sinon un texte clair « je n'ai pas compris ».
import type { AssistantEvent } from '../../assistant/assistant.js';
import { recordLink } from '../../assistant/tools.js';
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { NlQueryAnswer, NlQueryService } from './service.js';
import type { NlLanguage } from './types.js';

export interface LocalAssistantDeps {
  nlQuery: Pick<NlQueryService, 'ask'>;
  settings: Settings;
}

/** Enregistrements cités au plus dans une réponse locale. */
const CITED = 10;

const TEXT = {
  fr: {
    intro: 'Aucun fournisseur d’IA n’est disponible : je réponds avec l’analyseur local (lecture seule).',
    refused: 'Je ne fais que des recherches en lecture : je ne supprime, ne crée et ne modifie rien sans fournisseur d’IA.',
    unknown: 'Je n’ai pas compris la question.',
    noEntity: 'Je n’ai reconnu aucun type d’enregistrement dans la question.',
    empty: 'La question est vide.',
    tryThis: 'Essayez par exemple :',
    understood: 'Interprétation',
    count: (n: number, what: string) => `${n} ${what}.`,
    found: (n: number, what: string, shown: number) => `${n} ${what} trouvé(s)${n > shown ? `, voici les ${shown} premier(s)` : ''} :`,
    none: (what: string) => `Aucun enregistrement (${what}) ne correspond.`,
    groups: 'Résultat :',
  },
  en: {
    intro: 'No AI provider is available: answering with the local parser (read only).',
    refused: 'I only run read queries: without an AI provider I do not delete, create or change anything.',
    unknown: 'I did not understand the question.',
    noEntity: 'I did not recognise any kind of record in the question.',
    empty: 'The question is empty.',
    tryThis: 'Try for example:',
    understood: 'Interpreted as',
    count: (n: number, what: string) => `${n} ${what}.`,
    found: (n: number, what: string, shown: number) => `${n} ${what} found${n > shown ? `, here are the first ${shown}` : ''}:`,
    none: (what: string) => `No record (${what}) matches.`,
    groups: 'Result:',
  },
};

export class LocalAssistant {
  constructor(private readonly deps: LocalAssistantDeps) {}

  /** Le tenant accepte-t-il les réponses locales (réglage ai.local.nlQuery.assistantFallback) ? */
  enabled(ctx: RequestContext): Promise<boolean> {
    return this.deps.settings.value<boolean>('ai.local.nlQuery.assistantFallback', { tenantId: ctx.tenantId });
  }

  async answer(ctx: RequestContext, message: string, onEvent: (event: AssistantEvent) => void): Promise<void> {
    const startedAt = performance.now();
    const answer = await this.deps.nlQuery.ask({ ctx, question: message.slice(0, 500), execute: true, limit: CITED });
    const t = TEXT[answer.language];
    onEvent({ type: 'text', delta: `${t.intro}\n\n` });
    if (!answer.understood) {
      const why = answer.reason === 'destructive' ? t.refused : answer.reason === 'no_entity' ? t.noEntity : answer.reason === 'empty' ? t.empty : t.unknown;
      onEvent({ type: 'text', delta: `${why} ${t.tryThis}\n${(answer.suggestions ?? []).map((s) => `- « ${s} »`).join('\n')}` });
    } else {
      onEvent({ type: 'text', delta: `${t.understood} : ${answer.explanation}\n\n`.replace(' : ', answer.language === 'fr' ? ' : ' : ': ') });
      this.result(answer, answer.language, onEvent);
    }
    onEvent({ type: 'done', provider: 'local', model: 'nl-query', usage: { inputTokens: 0, outputTokens: 0 }, durationMs: Math.round(performance.now() - startedAt) });
  }

  private result(answer: NlQueryAnswer, language: NlLanguage, onEvent: (event: AssistantEvent) => void): void {
    const t = TEXT[language];
    const result = answer.result!;
    const entity = answer.entity!;
    const what = (answer.label ?? entity).toLowerCase();
    if (result.groups) {
      const lines = result.groups.map((g) => `- ${Object.values(g.keys).map((k) => k ?? '—').join(' / ') || '—'} : ${Object.values(g.values).join(' / ')}`);
      onEvent({ type: 'text', delta: `${t.groups}\n${lines.join('\n')}` });
      return;
    }
    if (answer.count) {
      onEvent({ type: 'text', delta: t.count(result.total, what) });
      return;
    }
    const records = result.records ?? [];
    if (records.length === 0) {
      onEvent({ type: 'text', delta: t.none(what) });
      return;
    }
    onEvent({ type: 'text', delta: `${t.found(result.total, what, records.length)}\n` });
    for (const row of records) {
      const id = String(row.id);
      const label = result.display && row[result.display] != null ? String(row[result.display]) : id;
      onEvent({ type: 'text', delta: `- ${label}\n` });
      onEvent({ type: 'citation', entity, id, label, link: recordLink(entity, id) });
    }
  }
}
