// Fiches semblables : le corpus des fiches d'une entité que l'utilisateur peut lire (les plus récentes, borné), chaque
// fiche réduite à ses mots (champs de recherche, d'affichage, textes), ses attributs (énumérations, références,
// étiquettes, booléens, chaînes courtes comme la ville) et, pour un client, les articles qu'il achète (paniers).
import type { RecordService } from '../../../engine/crud/service.js';
import type { EntityModel, FieldModel } from '../../../engine/model.js';
import { basketItems, basketOwners, type ReadScope, type ResolvedBaskets } from './baskets.js';
import { addToken, nearest, words, type Tokens } from './tfidf.js';

export interface SimilarRecord {
  id: string;
  display: string;
  score: number;
  /** ce qui rapproche les fiches : noms de champs, `purchases`, ou mots partagés */
  reasons: string[];
}

const ATTRIBUTE_TYPES = new Set(['enum', 'ref', 'boolean', 'tags']);
const TEXT_TYPES = new Set(['string', 'text', 'email']);
/** un attribut partagé pèse plus qu'un mot */
const ATTRIBUTE_WEIGHT = 2;

const isText = (model: EntityModel, f: FieldModel) =>
  TEXT_TYPES.has(f.type) && (f.def.search === true || f.name === model.display || f.type === 'text');
const isAttribute = (model: EntityModel, f: FieldModel) =>
  ATTRIBUTE_TYPES.has(f.type) || (f.type === 'string' && !isText(model, f) && !f.def.unique && (f.def.maxLength ?? 255) <= 100);

function tokensOf(model: EntityModel, row: Record<string, unknown>): Tokens {
  const tokens: Tokens = new Map();
  for (const f of model.fields) {
    const value = row[f.name];
    if (value === null || value === undefined || value === '') continue;
    if (isText(model, f)) for (const w of words(String(value))) addToken(tokens, `w:${w}`);
    else if (isAttribute(model, f)) {
      for (const v of Array.isArray(value) ? value : [value]) addToken(tokens, `a:${f.name}=${String(v).toLowerCase()}`, ATTRIBUTE_WEIGHT);
    }
  }
  return tokens;
}

const reason = (token: string) => (token.startsWith('a:') ? token.slice(2, token.indexOf('=')) : token.startsWith('p:') ? 'purchases' : token.slice(2));

export interface SimilarQuery {
  model: EntityModel;
  id: string;
  limit: number;
  maxRecords: number;
  maxLines: number;
  /** configurations de paniers dont le client est cette entité (profil d'achat) */
  profiles: ResolvedBaskets[];
}

export async function similarRecords(scope: ReadScope & { records: RecordService }, query: SimilarQuery): Promise<SimilarRecord[]> {
  const { model, id } = query;
  const fields = ['id', ...model.fields.filter((f) => isText(model, f) || isAttribute(model, f)).map((f) => f.name)];
  const target = await scope.records.get(scope.trx, scope.ctx, scope.catalog, model, id);
  const page = await scope.records.list(scope.trx, scope.ctx, scope.catalog, model, { fields, sort: '-createdAt', limit: Math.min(query.maxRecords, 999) });
  const rows = [target, ...page.data.filter((r) => r.id !== target.id)];
  const corpus = new Map(rows.map((row) => [String(row.id), tokensOf(model, row)]));
  for (const profile of query.profiles) {
    const owners = await basketOwners(scope, profile, query.maxLines, [...corpus.keys()]);
    const items = await basketItems(scope, profile, query.maxLines, [...owners.keys()]);
    for (const [basket, bought] of items) {
      const tokens = corpus.get(owners.get(basket)!);
      if (tokens) for (const item of bought) addToken(tokens, `p:${item}`);
    }
  }
  const displays = new Map(rows.map((row) => [String(row.id), String(row[model.display ?? 'id'] ?? row.id)]));
  return nearest(corpus, String(target.id), query.limit).map((n) => ({
    id: n.id, display: displays.get(n.id)!, score: n.score, reasons: [...new Set(n.shared.map(reason))],
  }));
}
