// Données de référence semées dans chaque tenant : pays (ISO 3166-1) et devises (ISO 4217, unités mineures). Les noms
// français et anglais viennent des données CLDR du moteur JavaScript (Intl), pas d'un fichier à tenir à jour.

/** Codes ISO 3166-1 alpha-2 officiellement attribués. */
const COUNTRY_CODES = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA
GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY
MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH
SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/);

/** Unités mineures ISO 4217 différentes de 2. */
const MINOR_UNITS: Record<string, number> = Object.fromEntries([
  ...'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' ').map((c) => [c, 0]),
  ...'BHD IQD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3]),
  ['CLF', 4], ['UYW', 4],
]);

export interface CountryRow {
  code: string;
  nameEn: string;
  nameFr: string;
}

export interface CurrencyRow {
  code: string;
  nameEn: string;
  nameFr: string;
  symbol: string;
  minorUnits: number;
}

export function countries(): CountryRow[] {
  const en = new Intl.DisplayNames(['en'], { type: 'region' });
  const fr = new Intl.DisplayNames(['fr'], { type: 'region' });
  return COUNTRY_CODES.map((code) => ({ code, nameEn: en.of(code) ?? code, nameFr: fr.of(code) ?? code }));
}

export function currencies(): CurrencyRow[] {
  const en = new Intl.DisplayNames(['en'], { type: 'currency' });
  const fr = new Intl.DisplayNames(['fr'], { type: 'currency' });
  return Intl.supportedValuesOf('currency').map((code) => ({
    code,
    nameEn: en.of(code) ?? code,
    nameFr: fr.of(code) ?? code,
    symbol: new Intl.NumberFormat('en', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' })
      .formatToParts(1).find((p) => p.type === 'currency')?.value ?? code,
    minorUnits: MINOR_UNITS[code] ?? 2,
  }));
}
