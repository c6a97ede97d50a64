// Données de démonstration déterministes (graine fixe) : noms de tiers, adresses, jours fériés, taux de change.

/** Générateur pseudo-aléatoire reproductible (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const FIRST = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Grace', 'Hugo', 'Inès', 'Jules', 'Karima', 'Léo', 'Maya', 'Nathan', 'Olivia', 'Paul', 'Rosa', 'Samuel', 'Tara', 'Victor'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Laurent', 'Moreau', 'Garcia', 'Nguyen', 'Smith', 'Johnson', 'Müller', 'Rossi', 'Kowalski', 'Diallo', 'Haddad', 'Silva', 'Chen', 'Fischer', 'Lefèvre', 'Petit', 'Roux'];
const ROOTS = ['Atlas', 'Boréal', 'Cobalt', 'Delta', 'Éole', 'Fjord', 'Granit', 'Helios', 'Iris', 'Jade', 'Kestrel', 'Lumen', 'Meridian', 'Nova', 'Orion', 'Pyrite', 'Quartz', 'Rivage', 'Sierra', 'Tilia', 'Ursa', 'Vega', 'Willow', 'Zenith'];
const TRADES = ['Logistics', 'Industries', 'Foods', 'Textiles', 'Energy', 'Software', 'Construction', 'Pharma', 'Retail', 'Consulting', 'Mobility', 'Packaging'];
const FORMS = ['SAS', 'SARL', 'SA', 'Inc.', 'LLC', 'GmbH', 'Ltd', 'S.p.A.'];

export interface City {
  city: string;
  postalCode: string;
  country: string;
  street: string;
}

export const CITIES: City[] = [
  { city: 'Paris', postalCode: '75008', country: 'FR', street: 'rue du Faubourg Saint-Honoré' },
  { city: 'Lyon', postalCode: '69002', country: 'FR', street: 'rue de la République' },
  { city: 'Marseille', postalCode: '13001', country: 'FR', street: 'La Canebière' },
  { city: 'Lille', postalCode: '59000', country: 'FR', street: 'rue Nationale' },
  { city: 'Bordeaux', postalCode: '33000', country: 'FR', street: 'cours de l’Intendance' },
  { city: 'New York', postalCode: '10001', country: 'US', street: 'Fifth Avenue' },
  { city: 'Chicago', postalCode: '60601', country: 'US', street: 'Michigan Avenue' },
  { city: 'Austin', postalCode: '73301', country: 'US', street: 'Congress Avenue' },
  { city: 'Berlin', postalCode: '10117', country: 'DE', street: 'Friedrichstraße' },
  { city: 'London', postalCode: 'EC1A 1BB', country: 'GB', street: 'Cheapside' },
  { city: 'Milano', postalCode: '20121', country: 'IT', street: 'Via Monte Napoleone' },
  { city: 'Montréal', postalCode: 'H3B 1A7', country: 'CA', street: 'rue Sainte-Catherine' },
];

export function personName(random: () => number): { firstName: string; lastName: string; name: string } {
  const firstName = pick(random, FIRST);
  const lastName = pick(random, LAST);
  return { firstName, lastName, name: `${firstName} ${lastName}` };
}

export function companyName(random: () => number, index: number): string {
  return `${pick(random, ROOTS)} ${pick(random, TRADES)} ${pick(random, FORMS)}${index >= ROOTS.length * 2 ? ` ${index}` : ''}`;
}

export function address(random: () => number): City & { line1: string } {
  const city = pick(random, CITIES);
  return { ...city, line1: `${1 + Math.floor(random() * 180)} ${city.street}` };
}

/** Dimanche de Pâques (algorithme de Meeus/Jones/Butcher), date ISO. */
export function easter(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** n-ième jour `weekday` (0 = dimanche) du mois ; n = -1 : le dernier. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return new Date(Date.UTC(year, month - 1, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7)).toISOString().slice(0, 10);
  }
  const last = new Date(Date.UTC(year, month, 0));
  return new Date(Date.UTC(year, month - 1, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7))).toISOString().slice(0, 10);
}

export interface Holiday {
  date: string;
  name: string;
  yearly: boolean;
}

/** Jours fériés français : fixes (annuels) et mobiles de l'année. */
export function frenchHolidays(years: number[]): Holiday[] {
  const fixed: [string, string][] = [['01-01', 'Jour de l’an'], ['05-01', 'Fête du travail'], ['05-08', 'Victoire 1945'], ['07-14', 'Fête nationale'],
    ['08-15', 'Assomption'], ['11-01', 'Toussaint'], ['11-11', 'Armistice 1918'], ['12-25', 'Noël']];
  const first = Math.min(...years);
  return [
    ...fixed.map(([md, name]) => ({ date: `${first}-${md}`, name, yearly: true })),
    ...years.flatMap((year) => [
      { date: plusDays(easter(year), 1), name: 'Lundi de Pâques', yearly: false },
      { date: plusDays(easter(year), 39), name: 'Ascension', yearly: false },
      { date: plusDays(easter(year), 50), name: 'Lundi de Pentecôte', yearly: false },
    ]),
  ];
}

/** Jours fériés fédéraux des États-Unis (sans report du week-end). */
export function usHolidays(years: number[]): Holiday[] {
  const first = Math.min(...years);
  return [
    { date: `${first}-01-01`, name: 'New Year’s Day', yearly: true },
    { date: `${first}-07-04`, name: 'Independence Day', yearly: true },
    { date: `${first}-12-25`, name: 'Christmas Day', yearly: true },
    ...years.flatMap((year) => [
      { date: nthWeekday(year, 1, 1, 3), name: 'Martin Luther King Jr. Day', yearly: false },
      { date: nthWeekday(year, 5, 1, -1), name: 'Memorial Day', yearly: false },
      { date: nthWeekday(year, 9, 1, 1), name: 'Labor Day', yearly: false },
      { date: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day', yearly: false },
    ]),
  ];
}

/** Taux quotidiens (jours ouvrés) de `days` jours jusqu'à `end`, par marche aléatoire bornée autour de `start`. */
export function dailyRates(random: () => number, end: string, days: number, start: number, volatility: number): { date: string; rate: string }[] {
  const out: { date: string; rate: string }[] = [];
  let rate = start;
  for (let i = days; i >= 0; i--) {
    const date = plusDays(end, -i);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    rate = Math.max(start * 0.85, Math.min(start * 1.15, rate * (1 + (random() - 0.5) * volatility)));
    out.push({ date, rate: rate.toFixed(4) });
  }
  return out;
}
