// Jeu de questions en langage naturel sur les données de démonstration (loadDemo), écrit AVANT le réglage du parseur :
// pour chacune, la requête attendue (entité, filtre, conditions liées, tri, limite, compte, agrégat), comparée
// exactement après normalisation, et donc le jeu de résultats attendu. Les dates relatives sont calculées dans le
// fuseau Europe/Paris à partir du jour du test.

export interface ExpectedQuery {
  entity: string;
  filter?: Record<string, unknown>;
  related?: { entity: string; via: string; filter: Record<string, unknown> }[];
  sort?: string;
  limit?: number;
  count?: boolean;
  aggregate?: { measures: { fn: string; field?: string }[]; groupBy: string[] };
}

export interface NlCase {
  q: string;
  /** liste où se trouve l'utilisateur */
  context?: string;
  /** 'refused' : la question doit être déclarée non comprise (ou refusée) */
  expect: ExpectedQuery | 'refused';
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';
const ZONE = 'Europe/Paris';

/** Jour du calendrier à Paris, décalé. */
function parisToday(now: Date): [number, number, number] {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now).split('-').map(Number);
  return [y!, m!, d!];
}
const ymd = (date: Date) => date.toISOString().slice(0, 10);
const offset = (day: string) => {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(new Date(`${day}T12:00:00Z`)).find((p) => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.slice(3);
};

export function dateHelpers(now: Date) {
  const [y, m, d] = parisToday(now);
  const utc = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd));
  const range = (unit: Unit, n: number): [string, string] => {
    if (unit === 'day') return [ymd(utc(y, m, d + n)), ymd(utc(y, m, d + n + 1))];
    if (unit === 'week') {
      const dow = (utc(y, m, d).getUTCDay() + 6) % 7;
      return [ymd(utc(y, m, d - dow + 7 * n)), ymd(utc(y, m, d - dow + 7 * n + 7))];
    }
    if (unit === 'month') return [ymd(utc(y, m + n, 1)), ymd(utc(y, m + n + 1, 1))];
    if (unit === 'quarter') {
      const q = m - ((m - 1) % 3);
      return [ymd(utc(y, q + 3 * n, 1)), ymd(utc(y, q + 3 * n + 3, 1))];
    }
    return [ymd(utc(y + n, 1, 1)), ymd(utc(y + n + 1, 1, 1))];
  };
  const lastDays = (n: number): [string, string] => [ymd(utc(y, m, d - n)), ymd(utc(y, m, d + 1))];
  const lastMonths = (n: number): [string, string] => [ymd(utc(y, m - n, d)), ymd(utc(y, m, d + 1))];
  const year = (yy: number): [string, string] => [`${yy}-01-01`, `${yy + 1}-01-01`];
  const month = (yy: number, mm: number): [string, string] => [ymd(utc(yy, mm, 1)), ymd(utc(yy, mm + 1, 1))];
  /** condition sur un champ date */
  const day = ([from, to]: [string, string]) => ({ gte: from, lt: to });
  /** condition sur un champ datetime (minuit à Paris) */
  const instant = ([from, to]: [string, string]) => ({ gte: `${from}T00:00:00${offset(from)}`, lt: `${to}T00:00:00${offset(to)}` });
  return { y, m, range, lastDays, lastMonths, year, month, day, instant };
}

export function nlCases(now: Date): NlCase[] {
  const { y, range, lastDays, lastMonths, year, month, day, instant } = dateHelpers(now);
  const city = (c: string) => [{ entity: 'address', via: 'party', filter: { city: c } }];
  const count = { fn: 'count' };
  return [
    // entités seules, français et anglais, pluriels, synonymes
    { q: 'clients', expect: { entity: 'customer' } },
    { q: 'customers', expect: { entity: 'customer' } },
    { q: 'liste des fournisseurs', expect: { entity: 'supplier' } },
    { q: 'show me all suppliers', expect: { entity: 'supplier' } },
    { q: 'les employés', expect: { entity: 'employee' } },
    { q: 'partners', expect: { entity: 'partner' } },
    { q: 'les sociétés', expect: { entity: 'company' } },
    { q: 'jours fériés', expect: { entity: 'holiday' } },
    { q: 'adresses', expect: { entity: 'address' } },
    { q: 'les sites', expect: { entity: 'site' } },
    // lieux : enregistrements liés (adresses des tiers)
    { q: 'clients à Lyon', expect: { entity: 'customer', related: city('Lyon') } },
    { q: 'customers in Lyon', expect: { entity: 'customer', related: city('Lyon') } },
    { q: 'fournisseurs à Paris', expect: { entity: 'supplier', related: city('Paris') } },
    { q: 'suppliers in Berlin', expect: { entity: 'supplier', related: city('Berlin') } },
    { q: 'clients situés à Marseille', expect: { entity: 'customer', related: city('Marseille') } },
    { q: 'customers based in Chicago', expect: { entity: 'customer', related: city('Chicago') } },
    { q: 'employés à Bordeaux', expect: { entity: 'employee', related: city('Bordeaux') } },
    { q: 'partenaires à Londres', expect: { entity: 'partner', related: city('London') } },
    { q: 'clients à New York', expect: { entity: 'customer', related: city('New York') } },
    { q: 'clients à Lyon ou à Paris', expect: { entity: 'customer', related: [{ entity: 'address', via: 'party', filter: { city: { in: ['Lyon', 'Paris'] } } }] } },
    { q: 'customers in Germany', expect: { entity: 'customer', related: [{ entity: 'address', via: 'party', filter: { 'country.nameEn': 'Germany' } }] } },
    { q: 'clients en Allemagne', expect: { entity: 'customer', related: [{ entity: 'address', via: 'party', filter: { 'country.nameFr': 'Allemagne' } }] } },
    { q: 'adresses à Lyon', expect: { entity: 'address', filter: { city: 'Lyon' } } },
    { q: 'addresses in Milano', expect: { entity: 'address', filter: { city: 'Milano' } } },
    { q: 'sites à Lyon', expect: { entity: 'site', filter: { city: 'Lyon' } } },
    { q: 'Lyon', context: 'customer', expect: { entity: 'customer', related: city('Lyon') } },
    { q: 'à Lille', context: 'customer', expect: { entity: 'customer', related: city('Lille') } },
    // valeurs d'enum et booléens
    { q: 'clients particuliers', expect: { entity: 'customer', filter: { kind: 'person' } } },
    { q: 'customers who are persons', expect: { entity: 'customer', filter: { kind: 'person' } } },
    { q: 'clients organisations', expect: { entity: 'customer', filter: { kind: 'organisation' } } },
    { q: 'partenaires revendeurs', expect: { entity: 'partner', filter: { partnerType: 'reseller' } } },
    { q: 'integrator partners', expect: { entity: 'partner', filter: { partnerType: 'integrator' } } },
    { q: 'partners of type referrer', expect: { entity: 'partner', filter: { partnerType: 'referrer' } } },
    { q: 'adresses de livraison', expect: { entity: 'address', filter: { type: 'shipping' } } },
    { q: 'billing addresses', expect: { entity: 'address', filter: { type: 'billing' } } },
    { q: 'adresses principales', expect: { entity: 'address', filter: { primary: true } } },
    { q: 'primary addresses in Paris', expect: { entity: 'address', filter: { primary: true, city: 'Paris' } } },
    { q: 'shipping addresses in Lyon', expect: { entity: 'address', filter: { type: 'shipping', city: 'Lyon' } } },
    { q: 'business units that are cost centres', expect: { entity: 'business_unit', filter: { costCentre: true } } },
    { q: 'centres de profit', context: 'business_unit', expect: { entity: 'business_unit', filter: { profitCentre: true } } },
    // références (catégorie, étiquettes, calendrier)
    { q: 'clients de la catégorie Retail', expect: { entity: 'customer', filter: { 'category.name': 'Retail' } } },
    { q: 'wholesale customers', expect: { entity: 'customer', filter: { 'category.name': 'Wholesale' } } },
    { q: 'public sector customers', expect: { entity: 'customer', filter: { 'category.name': 'Public sector' } } },
    { q: 'fournisseurs logistics', expect: { entity: 'supplier', filter: { 'category.name': 'Logistics' } } },
    { q: 'raw materials suppliers', expect: { entity: 'supplier', filter: { 'category.name': 'Raw materials' } } },
    { q: 'clients vip', expect: { entity: 'customer', filter: { tags: 'vip' } } },
    { q: 'strategic customers', expect: { entity: 'customer', filter: { tags: 'strategic' } } },
    { q: 'clients étiquetés late-payer', expect: { entity: 'customer', filter: { tags: 'late-payer' } } },
    { q: 'jours fériés France', expect: { entity: 'holiday', filter: { 'calendar.name': 'France' } } },
    { q: 'holidays in the United States calendar', expect: { entity: 'holiday', filter: { 'calendar.name': 'United States' } } },
    { q: 'employees who are engineers', expect: { entity: 'employee', filter: { jobTitle: 'Engineer' } } },
    { q: 'employés Accountant', expect: { entity: 'employee', filter: { jobTitle: 'Accountant' } } },
    // comparaisons
    { q: 'clients avec un encours de plus de 50 000 EUR', expect: { entity: 'customer', filter: { creditLimit: { gt: 50000 }, 'creditLimit.currency': 'EUR' } } },
    { q: 'customers with a credit limit over 80000', expect: { entity: 'customer', filter: { creditLimit: { gt: 80000 } } } },
    { q: 'customers with credit limit at least 90k', expect: { entity: 'customer', filter: { creditLimit: { gte: 90000 } } } },
    { q: 'clients avec encours autorisé inférieur à 10 000', expect: { entity: 'customer', filter: { creditLimit: { lt: 10000 } } } },
    { q: 'clients dont l’encours est entre 20 000 et 30 000', expect: { entity: 'customer', filter: { creditLimit: { gte: 20000, lte: 30000 } } } },
    { q: 'customers with credit limit between 40,000 and 60,000', expect: { entity: 'customer', filter: { creditLimit: { gte: 40000, lte: 60000 } } } },
    { q: 'clients de plus de 70 000 €', expect: { entity: 'customer', filter: { creditLimit: { gt: 70000 }, 'creditLimit.currency': 'EUR' } } },
    { q: 'customers over 50000 USD', expect: { entity: 'customer', filter: { creditLimit: { gt: 50000 }, 'creditLimit.currency': 'USD' } } },
    { q: 'clients avec un délai de paiement de plus de 30 jours', expect: { entity: 'customer', filter: { paymentTermDays: { gt: 30 } } } },
    { q: 'customers with payment term at most 30 days', expect: { entity: 'customer', filter: { paymentTermDays: { lte: 30 } } } },
    { q: 'fournisseurs avec un délai d’approvisionnement de moins de 5 jours', expect: { entity: 'supplier', filter: { leadTimeDays: { lt: 5 } } } },
    { q: 'suppliers with lead time over 15 days', expect: { entity: 'supplier', filter: { leadTimeDays: { gt: 15 } } } },
    { q: 'suppliers with a lead time of at least 10 days in Paris', expect: { entity: 'supplier', filter: { leadTimeDays: { gte: 10 } }, related: city('Paris') } },
    { q: 'clients à Lyon avec plus de 50 000 EUR d’encours', expect: { entity: 'customer', filter: { creditLimit: { gt: 50000 }, 'creditLimit.currency': 'EUR' }, related: city('Lyon') } },
    { q: 'plus de 60000', context: 'customer', expect: { entity: 'customer', filter: { creditLimit: { gt: 60000 } } } },
    // valeurs vides ou renseignées
    { q: 'clients sans catégorie', expect: { entity: 'customer', filter: { 'category.name': { null: true } } } },
    { q: 'suppliers without lead time', expect: { entity: 'supplier', filter: { leadTimeDays: { null: true } } } },
    { q: 'clients sans numéro de TVA', expect: { entity: 'customer', filter: { taxId: { null: true } } } },
    // dates relatives (fuseau de l'utilisateur)
    { q: 'clients créés ce mois', expect: { entity: 'customer', filter: { createdAt: instant(range('month', 0)) } } },
    { q: 'customers created this month', expect: { entity: 'customer', filter: { createdAt: instant(range('month', 0)) } } },
    { q: 'clients à Lyon créés ce mois', expect: { entity: 'customer', filter: { createdAt: instant(range('month', 0)) }, related: city('Lyon') } },
    { q: 'fournisseurs créés cette année', expect: { entity: 'supplier', filter: { createdAt: instant(range('year', 0)) } } },
    { q: 'customers created last quarter', expect: { entity: 'customer', filter: { createdAt: instant(range('quarter', -1)) } } },
    { q: 'clients créés hier', expect: { entity: 'customer', filter: { createdAt: instant(range('day', -1)) } } },
    { q: "clients créés aujourd'hui", expect: { entity: 'customer', filter: { createdAt: instant(range('day', 0)) } } },
    { q: 'suppliers created in the last 30 days', expect: { entity: 'supplier', filter: { createdAt: instant(lastDays(30)) } } },
    { q: 'clients créés depuis 7 jours', expect: { entity: 'customer', filter: { createdAt: instant(lastDays(7)) } } },
    { q: 'clients modifiés cette semaine', expect: { entity: 'customer', filter: { updatedAt: instant(range('week', 0)) } } },
    { q: 'jours fériés en 2025', expect: { entity: 'holiday', filter: { date: day(year(2025)) } } },
    { q: `holidays in ${y}`, expect: { entity: 'holiday', filter: { date: day(year(y)) } } },
    { q: 'jours fériés ce mois', expect: { entity: 'holiday', filter: { date: day(range('month', 0)) } } },
    { q: 'holidays next month', expect: { entity: 'holiday', filter: { date: day(range('month', 1)) } } },
    { q: 'jours fériés le mois dernier', expect: { entity: 'holiday', filter: { date: day(range('month', -1)) } } },
    { q: 'holidays this quarter', expect: { entity: 'holiday', filter: { date: day(range('quarter', 0)) } } },
    { q: 'jours fériés l’année dernière', expect: { entity: 'holiday', filter: { date: day(range('year', -1)) } } },
    { q: `jours fériés en mai ${y}`, expect: { entity: 'holiday', filter: { date: day(month(y, 5)) } } },
    { q: 'French holidays this year', expect: { entity: 'holiday', filter: { 'calendar.name': 'France', date: day(range('year', 0)) } } },
    { q: 'taux de change depuis 30 jours', expect: { entity: 'exchange_rate', filter: { date: day(lastDays(30)) } } },
    { q: 'exchange rates over the past 3 months', expect: { entity: 'exchange_rate', filter: { date: day(lastMonths(3)) } } },
    { q: 'exchange rates last week', expect: { entity: 'exchange_rate', filter: { date: day(range('week', -1)) } } },
    // tri et limite
    { q: 'les 5 plus gros clients', expect: { entity: 'customer', sort: '-creditLimit', limit: 5 } },
    { q: 'top 10 customers by credit limit', expect: { entity: 'customer', sort: '-creditLimit', limit: 10 } },
    { q: 'les 3 clients avec le plus petit encours', expect: { entity: 'customer', sort: 'creditLimit', limit: 3 } },
    { q: 'clients les plus récents', expect: { entity: 'customer', sort: '-createdAt' } },
    { q: 'latest suppliers', expect: { entity: 'supplier', sort: '-createdAt' } },
    { q: 'clients triés par délai de paiement', expect: { entity: 'customer', sort: 'paymentTermDays' } },
    { q: 'suppliers sorted by lead time descending', expect: { entity: 'supplier', sort: '-leadTimeDays' } },
    { q: 'fournisseurs par ordre alphabétique', expect: { entity: 'supplier', sort: 'name' } },
    { q: 'top 5 suppliers by lead time', expect: { entity: 'supplier', sort: '-leadTimeDays', limit: 5 } },
    { q: 'les 10 clients à Paris avec le plus gros encours', expect: { entity: 'customer', sort: '-creditLimit', limit: 10, related: city('Paris') } },
    { q: 'prochains jours fériés', expect: { entity: 'holiday', filter: { date: { gte: range('day', 0)[0] } }, sort: 'date' } },
    // comptes
    { q: 'combien de clients', expect: { entity: 'customer', count: true } },
    { q: 'how many suppliers', expect: { entity: 'supplier', count: true } },
    { q: 'combien de clients à Lyon', expect: { entity: 'customer', count: true, related: city('Lyon') } },
    { q: 'how many customers in Paris', expect: { entity: 'customer', count: true, related: city('Paris') } },
    { q: 'nombre de fournisseurs logistics', expect: { entity: 'supplier', count: true, filter: { 'category.name': 'Logistics' } } },
    { q: 'how many holidays in 2025', expect: { entity: 'holiday', count: true, filter: { date: day(year(2025)) } } },
    { q: 'combien de clients vip', expect: { entity: 'customer', count: true, filter: { tags: 'vip' } } },
    { q: 'how many person customers', expect: { entity: 'customer', count: true, filter: { kind: 'person' } } },
    // agrégats groupés
    { q: 'nombre de clients par catégorie', expect: { entity: 'customer', count: true, aggregate: { measures: [count], groupBy: ['category.name'] } } },
    { q: 'customers by category', expect: { entity: 'customer', aggregate: { measures: [count], groupBy: ['category.name'] } } },
    { q: 'total des encours par catégorie', expect: { entity: 'customer', aggregate: { measures: [{ fn: 'sum', field: 'creditLimit' }, count], groupBy: ['category.name'] } } },
    { q: 'total credit limit by category', expect: { entity: 'customer', aggregate: { measures: [{ fn: 'sum', field: 'creditLimit' }, count], groupBy: ['category.name'] } } },
    { q: 'average credit limit by kind', expect: { entity: 'customer', aggregate: { measures: [{ fn: 'avg', field: 'creditLimit' }, count], groupBy: ['kind'] } } },
    { q: 'encours moyen des clients', expect: { entity: 'customer', aggregate: { measures: [{ fn: 'avg', field: 'creditLimit' }], groupBy: [] } } },
    { q: 'total credit limit of customers in Lyon', expect: { entity: 'customer', related: city('Lyon'), aggregate: { measures: [{ fn: 'sum', field: 'creditLimit' }], groupBy: [] } } },
    { q: 'how many suppliers per category', expect: { entity: 'supplier', count: true, aggregate: { measures: [count], groupBy: ['category.name'] } } },
    { q: 'partenaires par type de partenaire', expect: { entity: 'partner', aggregate: { measures: [count], groupBy: ['partnerType'] } } },
    { q: 'adresses par ville', expect: { entity: 'address', aggregate: { measures: [count], groupBy: ['city'] } } },
    { q: 'number of addresses per country', expect: { entity: 'address', count: true, aggregate: { measures: [count], groupBy: ['country.nameEn'] } } },
    { q: 'nombre de jours fériés par calendrier', expect: { entity: 'holiday', count: true, aggregate: { measures: [count], groupBy: ['calendar.name'] } } },
    { q: 'délai d’approvisionnement moyen par catégorie', expect: { entity: 'supplier', aggregate: { measures: [{ fn: 'avg', field: 'leadTimeDays' }, count], groupBy: ['category.name'] } } },
    { q: 'maximum lead time of suppliers', expect: { entity: 'supplier', aggregate: { measures: [{ fn: 'max', field: 'leadTimeDays' }], groupBy: [] } } },
    { q: 'employés par fonction', expect: { entity: 'employee', aggregate: { measures: [count], groupBy: ['jobTitle'] } } },
    // fautes de frappe
    { q: 'cleints à Lyon', expect: { entity: 'customer', related: city('Lyon') } },
    { q: 'fournisseur a Paris', expect: { entity: 'supplier', related: city('Paris') } },
    { q: 'custmers in Marseille', expect: { entity: 'customer', related: city('Marseille') } },
    // refus : non compris, destructeur, entité inconnue
    { q: 'supprime tous les clients', expect: 'refused' },
    { q: 'delete all customers in Lyon', expect: 'refused' },
    { q: 'mets à jour les clients et modifie leur encours', expect: 'refused' },
    { q: 'drop table customer', expect: 'refused' },
    { q: 'xkcd blorp zzzt', expect: 'refused' },
    { q: 'asdf qwerty uiop', context: 'customer', expect: 'refused' },
    { q: 'factures de licornes', expect: 'refused' },
    { q: 'what is the weather like', expect: 'refused' },
    { q: "clients'; DROP TABLE party; --", expect: 'refused' },
  ];
}
