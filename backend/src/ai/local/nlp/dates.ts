// Dates d'un texte en français ou en anglais (chrono-node : « 12 mars 2026 », « demain », « next Friday », 03/12/2026),
// ramenées au jour (AAAA-MM-JJ) par rapport à une date de référence.
import { lazyLoad } from '../lazy.js';
import type { TextEntity } from './entity.js';
import type { NlpLanguage } from './language.js';

const parsers = lazyLoad(async () => {
  const chrono = await import('chrono-node');
  return { fr: chrono.fr, en: chrono.en } as const;
});

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export async function dateEntities(text: string, language: NlpLanguage, reference = new Date()): Promise<TextEntity[]> {
  return (await parsers())[language].parse(text, reference, { forwardDate: false })
    // une heure seule (« 10 heures ») n'est pas une date
    .filter((r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('month') || /demain|hier|tomorrow|yesterday|today|aujourd/i.test(r.text))
    .map((r) => ({ type: 'date' as const, text: r.text, start: r.index, end: r.index + r.text.length, value: day(r.start.date()) }));
}
