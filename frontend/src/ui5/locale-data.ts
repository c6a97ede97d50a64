// Données de langue (CLDR) embarquées pour « en » : UI5 déclare pour « en » un chargeur de secours qui lit le CDN.
// Ce module, importé avant tout autre module UI5, remplace ce chargeur avant qu'un composant ne demande les données
// (l'ordre d'évaluation des imports est garanti, pas celui des morceaux chargés plus tard).
import { registerLocaleDataLoader } from '@ui5/webcomponents-base/dist/asset-registries/LocaleData.js';

registerLocaleDataLoader('en', async () => (await import('@ui5/webcomponents-localization/dist/generated/assets/cldr/en.json')).default as never);
