// `attachedTo` : les deux champs texte qui désignent l'enregistrement visé, vérifiés au chargement des modèles.
import { describe, expect, it } from 'vitest';
import { buildModels } from '../../../src/engine/model.js';

const note = (fields: Record<string, { type: 'string' | 'integer' }>) => ({
  def: { name: 'note', attachedTo: { entity: 'entity', recordId: 'recordId' }, fields }, custom: false,
});

describe('attachedTo', () => {
  it('is kept on the model and inherited by sub-entities', () => {
    const models = buildModels([
      note({ entity: { type: 'string' }, recordId: { type: 'string' } }),
      { def: { name: 'memo', extends: 'note', fields: {} }, custom: false },
    ], []);
    expect(models.get('note')!.attachedTo).toEqual({ entity: 'entity', recordId: 'recordId' });
    expect(models.get('memo')!.attachedTo).toEqual({ entity: 'entity', recordId: 'recordId' });
  });

  it('refuses a model whose named fields are missing or not text', () => {
    expect(() => buildModels([note({ entity: { type: 'string' } })], [])).toThrow(/note\.attachedTo: recordId/);
    expect(() => buildModels([note({ entity: { type: 'string' }, recordId: { type: 'integer' } })], [])).toThrow(/not a string field/);
  });
});
