// Questions en langage naturel sur le catalogue de l'utilisateur, sans modèle de langue : la question devient une
// requête de lecture (parser.ts), les conditions sur des enregistrements liés deviennent une liste d'identifiants, et
// la requête s'exécute, sur demande, AVEC LES DROITS de l'utilisateur (records.list / records.aggregate).
import { sql } from 'kysely';
import type { Settings } from '../../../config/settings.js';
import type { RequestContext } from '../../../engine/context.js';
import type { RecordService, Row } from '../../../engine/crud/service.js';
import type { AggregateGroup } from '../../../engine/query/aggregate.js';
import type { Catalog } from '../../../engine/registry.js';
import type { CatalogFor, TenantTx } from '../../../engine/tenant-work.js';
import { FILTER_LIMITS } from '../../../engine/filter/types.js';
import type { Tx } from '../../../db/transaction.js';
import { explain } from './explain.js';
import { Lexicon } from './lexicon.js';
import { parseQuestion } from './parser.js';
import type { NlAggregate, NlLanguage, NlParse, NlRefusal, NlRelated } from './types.js';
import { ValueIndex } from './values.js';

export interface NlQueryDeps {
  records: RecordService;
  tenantTx: TenantTx;
  catalogFor: CatalogFor;
  settings: Settings;
}

export interface NlQueryRequest {
  ctx: RequestContext;
  question: string;
  /** liste où se trouve l'utilisateur */
  entity?: string;
  execute?: boolean;
  /** fuseau IANA du navigateur ; absent : celui du profil de l'utilisateur */
  timeZone?: string;
  /** instant de référence des dates relatives (tests) */
  now?: Date;
  /** enregistrements rendus au plus */
  limit?: number;
}

export interface NlQueryAnswer {
  understood: boolean;
  language: NlLanguage;
  entity?: string;
  /** libellé de l'entité dans la langue de la question */
  label?: string;
  /** filtre à appliquer à la liste (conditions liées comprises, en identifiants) */
  filter?: Record<string, unknown>;
  related?: NlRelated[];
  sort?: string;
  limit?: number;
  count?: boolean;
  aggregate?: NlAggregate;
  explanation?: string;
  confidence?: number;
  ignored?: string[];
  reason?: NlRefusal;
  suggestions?: string[];
  result?: { total: number; records?: Row[]; groups?: AggregateGroup[]; display?: string };
}

const DEFAULT_RECORDS = 20;
const FALLBACK_ZONE = 'Europe/Paris';

const validZone = (zone: string | undefined): zone is string => {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export class NlQueryService {
  private readonly values: ValueIndex;

  constructor(private readonly deps: NlQueryDeps) {
    this.values = new ValueIndex(deps.records, deps.tenantTx);
  }

  /** Lexique du catalogue de l'appelant (entités qu'il peut lire). */
  lexicon(ctx: RequestContext, catalog: Catalog): Lexicon {
    return new Lexicon(catalog, (name) => this.deps.records.allowed(ctx, catalog, name, 'read'));
  }

  async parse(request: NlQueryRequest, catalog: Catalog, lexicon: Lexicon): Promise<NlParse> {
    const { ctx } = request;
    const ttl = await this.deps.settings.value<number>('ai.local.nlQuery.valueCacheSeconds', { tenantId: ctx.tenantId });
    return parseQuestion(request.question, {
      lexicon, contextEntity: request.entity, now: request.now ?? new Date(), locale: ctx.locale,
      timeZone: validZone(request.timeZone) ? request.timeZone : await this.userZone(ctx),
      values: (entity) => this.values.terms(ctx, catalog, entity, ttl),
    });
  }

  async ask(request: NlQueryRequest): Promise<NlQueryAnswer> {
    const { ctx } = request;
    const catalog = await this.deps.catalogFor(ctx);
    if (request.entity) this.deps.records.entity(ctx, catalog, request.entity, 'read');
    const lexicon = this.lexicon(ctx, catalog);
    const parsed = await this.parse(request, catalog, lexicon);
    if (!parsed.understood) return parsed;
    const model = this.deps.records.entity(ctx, catalog, parsed.entity, 'read');
    const answer: NlQueryAnswer = {
      understood: true, language: parsed.language, entity: parsed.entity,
      label: model.label[parsed.language] ?? model.label.en, filter: parsed.filter, related: parsed.related,
      sort: parsed.sort, limit: parsed.limit, count: parsed.count, aggregate: parsed.aggregate,
      explanation: explain(lexicon, parsed), confidence: parsed.confidence, ignored: parsed.ignored,
    };
    await this.deps.tenantTx(ctx, async (trx) => {
      answer.filter = await this.withRelated(trx, ctx, catalog, parsed.filter, parsed.related);
      if (!request.execute) return;
      if (parsed.aggregate) {
        const groups = await this.deps.records.aggregate(trx, ctx, catalog, model, { ...parsed.aggregate, filter: answer.filter });
        answer.result = { total: groups.length, groups };
        return;
      }
      const limit = parsed.count ? 1 : Math.min(parsed.limit ?? request.limit ?? DEFAULT_RECORDS, 200);
      const list = await this.deps.records.list(trx, ctx, catalog, model, { filter: answer.filter, sort: parsed.sort, limit, count: true });
      const total = parsed.limit !== undefined ? Math.min(parsed.limit, list.meta.count ?? 0) : list.meta.count ?? list.data.length;
      answer.result = { total, records: parsed.count ? [] : list.data, ...(model.display ? { display: model.display } : {}) };
    });
    return answer;
  }

  /** Conditions sur des enregistrements liés : les identifiants des enregistrements visés, lus comme l'utilisateur. */
  private async withRelated(trx: Tx, ctx: RequestContext, catalog: Catalog, filter: Record<string, unknown>, related: NlRelated[]) {
    if (related.length === 0) return filter;
    let ids: Set<string> | undefined;
    for (const rel of related) {
      const model = this.deps.records.entity(ctx, catalog, rel.entity, 'read');
      const { data } = await this.deps.records.list(trx, ctx, catalog, model, { filter: rel.filter, fields: [rel.via], limit: FILTER_LIMITS.maxInList });
      const found = new Set(data.map((row) => String(row[rel.via])).filter((id) => id !== 'null' && id !== 'undefined'));
      ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
    }
    return { ...filter, id: { in: [...ids!].sort() } };
  }

  private async userZone(ctx: RequestContext): Promise<string> {
    if (!ctx.userId) return FALLBACK_ZONE;
    const zone = await this.deps.tenantTx(ctx, async (trx) =>
      (await sql<{ timezone: string | null }>`SELECT timezone FROM app_user WHERE id = ${ctx.userId}`.execute(trx)).rows[0]?.timezone);
    return validZone(zone ?? undefined) ? zone! : FALLBACK_ZONE;
  }
}
