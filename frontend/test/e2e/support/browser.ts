// Chromium de Debian piloté par playwright-core (aucun navigateur téléchargé) ; chaque page relève les erreurs de
// la console et les exceptions, que les tests exigent vides.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';

/** Lignes du corps d'un AnalyticalTable (liste générique, journal d'audit). */
export const TABLE_ROWS = '[data-component-name="AnalyticalTableBodyScrollableContainer"] [role="row"]';

export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// sans ces options, chromium tente de joindre des services de Google (réseau fermé ici)
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Micro simulé (un bip) accordé sans demander : pour la dictée. */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export function launchBrowser(options: { fakeMicrophone?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...(options.fakeMicrophone ? FAKE_MEDIA : [])] });
}

export interface WatchedPage {
  page: Page;
  /** erreurs de console, exceptions non rattrapées et réponses d'erreur inattendues depuis l'ouverture */
  errors: string[];
  /** déclare attendue une réponse d'erreur (« MÉTHODE adresse ») que le test provoque : validation, conflit… */
  expect(pattern: RegExp): void;
}

/** Le navigateur signale chaque réponse d'erreur dans la console : elles sont jugées une à une ci-dessous. */
const RESOURCE_ERROR = /^Failed to load resource: the server responded with a status of \d+/;

export async function openPage(browser: Browser, options: { locale?: string; width?: number; height?: number } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  const expected: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !RESOURCE_ERROR.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // une requête abandonnée (navigation, requête annulée par une plus récente) n'est pas une panne
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    const call = `${response.request().method()} ${response.url()}`;
    if (response.status() >= 400 && !expected.some((pattern) => pattern.test(call))) errors.push(`${response.status()} ${call}`);
  });
  return { page, errors, expect: (pattern) => expected.push(pattern) };
}

/**
 * Pages du test en cours, chacune dans son propre contexte (cookies, stockage), fermées après lui : aucun test ne
 * continue la page, la session ou les erreurs d'un autre. À appeler une fois, au niveau du fichier de test.
 */
export function pagesPerTest(browser: () => Browser): (options?: Parameters<typeof openPage>[1]) => Promise<WatchedPage> {
  const opened: WatchedPage[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((watched) => watched.page.context().close()));
  });
  return async (options) => {
    const watched = await openPage(browser(), options);
    opened.push(watched);
    return watched;
  };
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

export async function signIn(page: Page, base: string, email: string, password: string, area = 'app', tenant = 'demo'): Promise<void> {
  await page.goto(`${base}/${area}/login`);
  await fill(page, '#login-tenant', tenant);
  await fill(page, '#login-email', email);
  await fill(page, '#login-password', password);
  await page.locator('ui5-button[type="Submit"]').click();
  // la barre du haut : la navigation latérale, elle, est repliée sur un téléphone
  await page.locator('ui5-shellbar').waitFor();
}

/**
 * Choisit une option d'un ui5-select. Le premier clic peut ne faire que refermer la liste d'un autre champ (la liste
 * s'ouvre puis se referme aussitôt) : on attend que le select reste ouvert avant de cliquer l'option.
 */
export async function choose(page: Page, select: string, value: string): Promise<void> {
  const field = page.locator(select);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await field.click();
    await page.waitForTimeout(300);
    if ((await field.getAttribute('opened')) !== null) break;
  }
  await page.locator(`${select} ui5-option[value="${value}"]`).click();
}
