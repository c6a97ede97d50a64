// Lecture de documents dans Chromium : une facture générée (PNG, valeurs connues) jointe à un fournisseur de la
// démonstration ; la section « Documents » de sa fiche lance « Extraire », montre la progression puis le formulaire
// de relecture avec la confiance de chaque champ ; l'utilisateur corrige le numéro et confirme (constaté par l'API).
// L'onglet « Documents » de la page Analyses liste la lecture confirmée.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOcr } from '../../../backend/src/ai/local/documents/ocr-engine.js';
import { renderPng, sampleInvoices } from '../../../backend/test/support/invoices.js';
import { multipart } from '../../../backend/test/support/multipart.js';
import { ON_SCREEN } from '../../../backend/test/support/timeouts.js';
import { seriousViolations } from './support/axe.js';
import { fill, screenshot, type WatchedPage } from './support/browser.js';
import type { E2EServer } from './support/server.js';
import { adminCall, signedInSession } from './support/session.js';

let server: E2EServer;
let browser: Browser;
let user: WatchedPage;
let supplier: { id: string; name: string };

const call = adminCall(() => server);

beforeAll(async () => {
  ({ server, browser, user } = await signedInSession('Demo administrator', 'en', {
    prepare: async (demo) => {
      server = demo;
      supplier = (await call('GET', '/api/v1/data/supplier?limit=1&sort=name')).data[0];
      const upload = multipart(renderPng(sampleInvoices()[0]!), 'invoice-dubois.png');
      await call('POST', `/api/v1/files?entity=supplier&recordId=${supplier.id}`, upload.payload, { 'content-type': upload.contentType });
    },
  }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stopOcr();
});

describe('documents in the browser', () => {
  it('extracts an attached invoice, shows per-field confidence and confirms the reviewed draft', async () => {
    const { page } = user;
    await page.goto(`${server.url}/app/data/supplier/${supplier.id}`);
    const file = page.locator('[data-insight="documents"] [data-document-file="invoice-dubois.png"]');
    await page.getByRole('tab', { name: 'Documents' }).click();
    await file.waitFor(ON_SCREEN);
    await file.locator('ui5-button[data-action="extract-document"]').click();
    const review = page.locator('[data-document-review]');
    await review.waitFor({ timeout: 90_000 });
    const field = (name: string) => page.locator(`#doc-${name}`).evaluate((el) => (el as unknown as { value: string }).value);
    expect(await field('gross')).toBe('1500.00');
    expect(await field('iban')).toBe('FR7630006000011234567890189');
    expect(await page.locator('[data-extracted="iban"] [data-confidence]').getAttribute('data-state')).toBe('Positive');
    await fill(page, '#doc-number', 'FA-2026-0142-B');
    await screenshot(page, 'document-review');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('ui5-button[data-action="confirm-document"]').click();
    await page.locator('[data-final-status="confirmed"]').waitFor(ON_SCREEN);
    const id = await review.getAttribute('data-document-review');
    const saved = await call('GET', `/api/v1/ai/documents/${id}`);
    expect(saved.status).toBe('confirmed');
    expect(saved.fields.number).toEqual({ value: 'FA-2026-0142-B', confidence: 1 });
    expect(user.errors).toEqual([]);
  });

  it('lists the readings in the Documents tab of the Insights page', async () => {
    const { page } = user;
    await page.goto(`${server.url}/app/insights?tab=documents`);
    const rows = page.locator('[data-insight="documents-list"] [data-extraction]');
    await expect.poll(() => rows.count(), ON_SCREEN).toBe(1);
    await rows.first().locator('ui5-button[data-action="review-document"]').click();
    await page.locator('[data-final-status="confirmed"]').waitFor(ON_SCREEN);
    await screenshot(page, 'documents-tab');
    expect(await seriousViolations(page)).toEqual([]);
    expect(user.errors).toEqual([]);
  });
});
