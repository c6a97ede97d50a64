// Chromium de Debian piloté par playwright-core (aucun navigateur téléchargé) ; chaque page relève les erreurs de
// la console et les exceptions, que les tests exigent vides.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// sans ces options, chromium tente de joindre des services de Google (réseau fermé ici)
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export interface WatchedPage {
  page: Page;
  /** erreurs de console et exceptions non rattrapées depuis l'ouverture */
  errors: string[];
}

/** Statuts attendus dans la console : une réponse d'erreur de l'API que l'écran affiche (validation, conflit…). */
const EXPECTED = /Failed to load resource: the server responded with a status of (400|401|403|404|409|412|422)/;

export async function openPage(browser: Browser, options: { locale?: string; width?: number; height?: number } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Remplit un ui5-input (ou ui5-textarea) : le champ natif est dans son shadow DOM, que Playwright traverse. */
export async function fill(page: Page, selector: string, text: string): Promise<void> {
  const inner = page.locator(`${selector} input, ${selector} textarea`).first();
  await inner.fill(text);
  await inner.dispatchEvent('change');
}

export async function signIn(page: Page, base: string, email: string, password: string, area = 'app'): Promise<void> {
  await page.goto(`${base}/${area}/login`);
  await fill(page, '#login-tenant', 'demo');
  await fill(page, '#login-email', email);
  await fill(page, '#login-password', password);
  await page.locator('ui5-button[type="Submit"]').click();
  await page.locator('ui5-side-navigation').waitFor();
}
