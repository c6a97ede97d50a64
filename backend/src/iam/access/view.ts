// Vue du catalogue pour un appelant : les champs masqués par ses règles de champs disparaissent des modèles, donc des
// lectures, listes, filtres, tris, recherches, écritures et de l'OpenAPI. Une vue par (catalogue, jeu de règles).
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import type { AccessProfile } from './profile.js';

const views = new WeakMap<Catalog, Map<string, Catalog>>();

export function catalogView(catalog: Catalog, profile: AccessProfile | undefined): Catalog {
  if (!profile?.fieldKey) return catalog;
  let byKey = views.get(catalog);
  if (!byKey) {
    byKey = new Map();
    views.set(catalog, byKey);
  }
  let view = byKey.get(profile.fieldKey);
  if (!view) {
    const models = new Map(catalog.all().map((m) => [m.name, restrict(m, profile.hidden.get(m.name))]));
    const list = [...models.values()];
    view = { get: (name) => models.get(name), all: () => list, modules: catalog.modules };
    byKey.set(profile.fieldKey, view);
  }
  return view;
}

function restrict(model: EntityModel, hidden: ReadonlySet<string> | undefined): EntityModel {
  if (!hidden?.size) return model;
  const fields = model.fields.filter((f) => !hidden.has(f.name));
  return {
    ...model,
    full: model,
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    searchFields: model.searchFields.filter((f) => !hidden.has(f.name)),
    display: model.display && hidden.has(model.display) ? undefined : model.display,
  };
}
