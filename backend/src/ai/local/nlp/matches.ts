// Correspondances avec les enregistrements, toujours COMME l'utilisateur : tiers (clients, fournisseurs… : entités
// dérivées de `party`) par leur nom, et références d'enregistrements par leur eid ; seuls les enregistrements qu'il
// peut lire répondent (permissions, règles d'enregistrement). Les résultats stockés sont refiltrés à la lecture.
import type { RecordService } from '../../../engine/crud/service.js';
import type { RequestContext } from '../../../engine/context.js';
import type { EntityModel } from '../../../engine/model.js';
import type { Catalog } from '../../../engine/registry.js';
import type { TenantTx } from '../../../engine/tenant-work.js';
import type { RecordMatch, TextEntity } from './entity.js';
import type { NameCandidate } from './names.js';
import { recordRefs } from './patterns.js';

export interface MatchDeps {
  records: RecordService;
  tenantTx: TenantTx;
}

const label = (model: EntityModel, row: Record<string, unknown>) => String(row[model.display ?? 'eid'] ?? row.eid ?? row.id);

/** Entités de tiers que l'utilisateur peut lire. */
function partyModels(deps: MatchDeps, ctx: RequestContext, catalog: Catalog): EntityModel[] {
  return catalog.all().filter((m) => m.parent === 'party' && !m.abstract && deps.records.allowed(ctx, catalog, m.name, 'read'));
}

/** Tiers nommés dans le texte (noms comparés sans casse) : personne ou organisation selon leur nature. */
export async function partyEntities(deps: MatchDeps, ctx: RequestContext, catalog: Catalog, candidates: NameCandidate[]): Promise<TextEntity[]> {
  if (!candidates.length) return [];
  const found: TextEntity[] = [];
  const names = [...new Set(candidates.map((c) => c.text))];
  for (const model of partyModels(deps, ctx, catalog)) {
    const { data } = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, {
      filter: { or: names.map((n) => ({ name: { ilike: n.replace(/[%_\\]/g, '\\$&') } })) }, limit: 50, fields: ['id', 'name', 'kind'],
    }));
    const byName = new Map(data.map((row) => [String(row.name).toLowerCase(), row]));
    for (const c of candidates) {
      const row = byName.get(c.text.toLowerCase());
      if (!row) continue;
      const match: RecordMatch = { entity: model.name, id: String(row.id), label: String(row.name) };
      found.push({ type: row.kind === 'person' ? 'person' : 'organisation', text: c.text, start: c.start, end: c.end, match });
    }
  }
  return found;
}

/** Références `<entité>-<numéro>` à des enregistrements qui existent et que l'utilisateur peut lire. */
export async function recordEntities(deps: MatchDeps, ctx: RequestContext, catalog: Catalog, text: string): Promise<TextEntity[]> {
  const found: TextEntity[] = [];
  for (const ref of recordRefs(text).slice(0, 20)) {
    const model = catalog.get(ref.entity);
    if (!model || model.abstract || !deps.records.allowed(ctx, catalog, model.name, 'read')) continue;
    const { data } = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, { filter: { eid: ref.eid }, limit: 1 }));
    const row = data[0];
    if (row) found.push({ type: 'record', text: ref.eid, start: ref.start, end: ref.end, match: { entity: model.name, id: String(row.id), label: label(model, row) } });
  }
  return found;
}

/**
 * Les entités d'une analyse stockée, vues par ce lecteur : une correspondance vers un enregistrement qu'il ne peut pas
 * lire est retirée (le passage reste : il est dans le texte qu'il lit).
 */
export async function visibleEntities(deps: MatchDeps, ctx: RequestContext, catalog: Catalog, entities: TextEntity[]): Promise<TextEntity[]> {
  const ids = new Map<string, Set<string>>();
  for (const e of entities) if (e.match) ids.set(e.match.entity, (ids.get(e.match.entity) ?? new Set()).add(e.match.id));
  const visible = new Set<string>();
  for (const [entity, set] of ids) {
    const model = catalog.get(entity);
    if (!model || !deps.records.allowed(ctx, catalog, entity, 'read')) continue;
    const { data } = await deps.tenantTx(ctx, (trx) => deps.records.list(trx, ctx, catalog, model, { filter: { id: { in: [...set] } }, limit: set.size, fields: ['id'] }));
    for (const row of data) visible.add(`${entity}:${String(row.id)}`);
  }
  return entities.map(({ match, ...rest }) => (match && visible.has(`${match.entity}:${match.id}`) ? { ...rest, match } : rest));
}
