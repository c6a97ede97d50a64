// Règles métier des modèles de base qui ne tiennent pas dans une déclaration de champ.
import type { HookBus } from '../events/hooks.js';
import { validationFailed } from '../errors/problem.js';
import { message } from '../text/messages.js';
import { WEEK_DAYS } from './calendars.js';

export function installModelRules(hooks: HookBus): void {
  const checkCalendar = ({ data, before, ctx }: Parameters<Parameters<HookBus['on']>[2]>[0]) => {
    const days = data!.workingDays as string[] | null | undefined;
    if (days && days.some((d) => !(WEEK_DAYS as readonly string[]).includes(d))) {
      throw validationFailed([{ field: 'workingDays', code: 'invalid_enum', message: message(ctx.locale, 'invalid_enum', { values: WEEK_DAYS.join(', ') }) }]);
    }
    const start = (data!.workStart ?? before?.workStart ?? '09:00') as string;
    const end = (data!.workEnd ?? before?.workEnd ?? '17:00') as string;
    if (start >= end) throw validationFailed([{ field: 'workEnd', code: 'invalid_value', message: message(ctx.locale, 'work_end_before_start') }]);
  };
  hooks.on('beforeCreate', 'calendar', checkCalendar);
  hooks.on('beforeUpdate', 'calendar', checkCalendar);
  // libellé d'une entrée de menu : { "en": …, "fr": … }, textes courts (jamais de HTML interprété par l'interface)
  const checkMenuLabel = ({ data, ctx }: Parameters<Parameters<HookBus['on']>[2]>[0]) => {
    // une valeur json validée arrive sérialisée
    const raw = data!.label;
    if (raw === undefined || raw === null) return;
    const label = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
    const valid = typeof label === 'object' && !Array.isArray(label) && typeof label.en === 'string' &&
      Object.entries(label).every(([k, v]) => /^[a-z]{2}$/.test(k) && typeof v === 'string' && v.length > 0 && v.length <= 100);
    if (!valid) throw validationFailed([{ field: 'label', code: 'invalid_type', message: message(ctx.locale, 'invalid_type', { expected: '{"en": "…", "fr": "…"}' }) }]);
  };
  hooks.on('beforeCreate', 'menu_item', checkMenuLabel);
  hooks.on('beforeUpdate', 'menu_item', checkMenuLabel);
  // licence renouvelée : un nouveau rappel partira avant la nouvelle échéance
  hooks.on('beforeUpdate', 'licence', ({ data, before }) => {
    if (data!.expiresOn !== undefined && data!.expiresOn !== before!.expiresOn) data!.remindedAt = null;
  });
}
