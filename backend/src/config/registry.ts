// Registre des réglages déclarés : clé unique, schéma JSON compilé (Ajv), valeur par défaut conforme à son schéma.
import type { SettingDeclaration, SettingLevel } from '@opsflux/sdk';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export const LEVELS: readonly SettingLevel[] = ['platform', 'tenant', 'company', 'user'];
const KEY = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*){1,5}$/;

/**
 * Déclaration du cœur : `capped` marque une limite numérique qu'un niveau plus précis (tenant, société, utilisateur)
 * peut resserrer mais jamais élargir au-delà de la valeur de la plateforme.
 */
export interface CoreSettingDeclaration extends SettingDeclaration {
  capped?: boolean;
}

export interface RegisteredSetting extends CoreSettingDeclaration {
  validate: ValidateFunction;
  /** niveaux où une valeur peut être posée : de la plateforme jusqu'à la portée déclarée */
  levels: SettingLevel[];
}

export class SettingsRegistry {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly settings = new Map<string, RegisteredSetting>();

  declare(...declarations: CoreSettingDeclaration[]): void {
    for (const d of declarations) {
      if (!KEY.test(d.key)) throw new Error(`invalid setting key "${d.key}"`);
      if (this.settings.has(d.key)) throw new Error(`setting "${d.key}" is already declared`);
      if (d.capped && (d.scope === 'platform' || (d.schema.type !== 'integer' && d.schema.type !== 'number'))) {
        throw new Error(`setting "${d.key}" is capped: a number that a level below the platform may set`);
      }
      const validate = this.ajv.compile(d.schema);
      // un secret n'a pas de valeur par défaut : null (« non défini ») est alors permis
      if (!(d.secret && d.default === null) && !validate(d.default)) throw new Error(`default of setting "${d.key}" does not match its schema`);
      const levels = LEVELS.slice(0, LEVELS.indexOf(d.scope) + 1);
      this.settings.set(d.key, { ...d, validate, levels });
    }
  }

  /** Retire des réglages (module déchargé) ; leurs valeurs stockées restent pour un retour du module. */
  remove(...keys: string[]): void {
    for (const key of keys) this.settings.delete(key);
  }

  get(key: string): RegisteredSetting | undefined {
    return this.settings.get(key);
  }

  list(): RegisteredSetting[] {
    return [...this.settings.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}
