// Analyse d'un texte : langue, sentiment, mots-clés et entités nommées (tiers et enregistrements retrouvés comme
// l'utilisateur, montants, dates, courriels, téléphones). Tout est local : lexiques et modèles livrés par npm.
import type { RequestContext } from '../../../engine/context.js';
import type { Catalog } from '../../../engine/registry.js';
import { dateEntities } from './dates.js';
import { withoutOverlaps, type TextEntity } from './entity.js';
import { keywordsOf } from './keywords.js';
import { detectLanguage, type NlpLanguage } from './language.js';
import { partyEntities, recordEntities, type MatchDeps } from './matches.js';
import { nameCandidates, unmatchedNames } from './names.js';
import { patternEntities } from './patterns.js';
import { sentimentOf, type Sentiment } from './sentiment.js';

export interface TextAnalysis {
  language: NlpLanguage | 'und';
  sentiment: Sentiment;
  keywords: string[];
  entities: TextEntity[];
}

export interface AnalyseOptions {
  /** langue de l'utilisateur : départage un texte trop court */
  locale?: string;
  /** date de référence des dates relatives (« demain ») */
  now?: Date;
}

/** Analyse sans accès aux données (pas de correspondance avec les enregistrements). */
export async function analyseOffline(text: string, options: AnalyseOptions = {}): Promise<TextAnalysis & { language: NlpLanguage | 'und' }> {
  const language = detectLanguage(text, options.locale);
  const lang: NlpLanguage = language === 'und' ? (options.locale === 'fr' ? 'fr' : 'en') : language;
  const entities = withoutOverlaps([...patternEntities(text), ...await dateEntities(text, lang, options.now)]);
  return { language, sentiment: sentimentOf(text, lang), keywords: keywordsOf(text), entities };
}

/** Analyse complète, COMME l'utilisateur du contexte : tiers et références ne sont cherchés que dans ce qu'il lit. */
export async function analyseText(deps: MatchDeps, ctx: RequestContext, catalog: Catalog, text: string, options: AnalyseOptions = {}): Promise<TextAnalysis> {
  const offline = await analyseOffline(text, options);
  const records = await recordEntities(deps, ctx, catalog, text);
  const parties = await partyEntities(deps, ctx, catalog, nameCandidates(text));
  // ordre de priorité des passages : références, tiers retrouvés, formes (montants, courriels…), puis noms devinés
  const entities = withoutOverlaps([...records, ...parties, ...offline.entities, ...unmatchedNames(text)]);
  return { ...offline, entities };
}
