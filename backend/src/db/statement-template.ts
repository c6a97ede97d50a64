// Gabarits d'instructions : la forme d'une instruction chaude (la création d'un enregistrement, avec son audit et son
// événement) ne dépend que du modèle et des champs écrits ; on la construit et la compile une fois, puis chaque requête
// ne fait que remplir le tableau des paramètres. Le constructeur ne reçoit que des emplacements nommés : aucune valeur
// d'une requête ne peut se figer dans le gabarit, toute constante y est une propriété de la forme.
import { CompiledQuery, type Kysely, type RawBuilder } from 'kysely';

/** Emplacement nommé, passé comme paramètre à la construction et remplacé par sa valeur à chaque exécution. */
export class Slot {
  constructor(readonly name: string) {}
}

export interface StatementTemplate {
  sql: string;
  /** par paramètre : son emplacement, ou la constante de forme qu'il porte */
  parameters: readonly unknown[];
}

/** Compile une forme d'instruction ; `slot(nom)` s'utilise partout où irait une valeur de la requête. */
export function compileTemplate(db: Kysely<any>, build: (slot: (name: string) => never) => RawBuilder<unknown>): StatementTemplate {
  const compiled = build((name) => new Slot(name) as never).compile(db);
  return { sql: compiled.sql, parameters: compiled.parameters };
}

/** Instruction exécutable : le gabarit et les valeurs de cette requête (un emplacement sans valeur est une erreur). */
export function bindTemplate(template: StatementTemplate, values: Readonly<Record<string, unknown>>): CompiledQuery {
  const parameters = template.parameters.map((p) => {
    if (!(p instanceof Slot)) return p;
    const value = values[p.name];
    if (value === undefined) throw new Error(`no value for statement slot ${p.name}`);
    return value;
  });
  return CompiledQuery.raw(template.sql, parameters);
}

/** Gabarits d'un propriétaire (un modèle d'entité), par clé de forme ; un nouveau modèle repart d'un cache vide. */
export class TemplateCache<Owner extends object> {
  private readonly byOwner = new WeakMap<Owner, Map<string, StatementTemplate>>();

  constructor(private readonly maxPerOwner = 64) {}

  get(owner: Owner, shape: string, make: () => StatementTemplate): StatementTemplate {
    let templates = this.byOwner.get(owner);
    if (!templates) this.byOwner.set(owner, (templates = new Map()));
    let template = templates.get(shape);
    if (!template) {
      template = make();
      // au-delà du plafond (combinaisons de champs rares), on compile sans retenir
      if (templates.size < this.maxPerOwner) templates.set(shape, template);
    }
    return template;
  }
}
