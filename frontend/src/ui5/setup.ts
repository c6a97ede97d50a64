// Réglages UI5 avant tout rendu : polices servies par l'application (pas de CDN), thèmes et textes de UI5
// embarqués dans le paquet (français et anglais chargés à la demande), thème Horizon clair ou sombre.
import './locale-data';
import { setDefaultFontLoading } from '@ui5/webcomponents-base/dist/config/Fonts.js';
import { setTheme } from '@ui5/webcomponents-base/dist/config/Theme.js';
import '@ui5/webcomponents/dist/Assets.js';
import '@ui5/webcomponents-fiori/dist/Assets.js';
import '@ui5/webcomponents-react/dist/Assets.js';
import '@ui5/webcomponents-icons/dist/AllIcons.js';
import './icons';
import 'virtual:ui5-font-faces.css';

setDefaultFontLoading(false);

export type ThemeChoice = 'light' | 'dark';
const THEMES: Record<ThemeChoice, string> = { light: 'sap_horizon', dark: 'sap_horizon_dark' };

export function currentTheme(): ThemeChoice {
  const stored = localStorage.getItem('opsflux.theme');
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export async function applyTheme(choice: ThemeChoice, remember = true): Promise<void> {
  if (remember) localStorage.setItem('opsflux.theme', choice);
  await setTheme(THEMES[choice]);
}

void applyTheme(currentTheme(), false);
