// Règles métier des modèles de base qui ne tiennent pas dans une déclaration de champ.
import type { HookBus } from '../events/hooks.js';
import { validationFailed } from '../http/problem.js';
import { message } from '../i18n/messages.js';
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
  // licence renouvelée : un nouveau rappel partira avant la nouvelle échéance
  hooks.on('beforeUpdate', 'licence', ({ data, before }) => {
    if (data!.expiresOn !== undefined && data!.expiresOn !== before!.expiresOn) data!.remindedAt = null;
  });
}
