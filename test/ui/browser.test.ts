// sentra ui in a real browser (Debian's chromium, driven by playwright-core): log in with the token, filter,
// open an incident, record a decision and find it in `sentra signals`; hostile names render inert; the pages
// fit a phone. Screenshots at 390 and 1280 px are kept under $TMPDIR/sentra-artefacts/ui/.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom, setClock, type Clock } from '../../agent/clock.js';
import { sentra } from '../helpers/cli.js';
import { HOSTILE_USER, MENTION_USER, startTestUi, uiStore } from '../helpers/ui.js';

const ARTEFACTS = join(tmpdir(), 'sentra-artefacts', 'ui');
let browser: Browser;
let ui: Awaited<ReturnType<typeof startTestUi>>;
let stateDir: string;
let before: Clock;

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  ({ stateDir } = await uiStore());
  // The stories are from March 2026: the view's default window (the last 30 days) is read at this instant.
  before = setClock(clockFrom(Date.parse('2026-03-20T12:00:00Z')));
  ui = await startTestUi(stateDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => ui?.server.close(r));
  setClock(before);
});

async function loggedIn(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('close', () => expect(dialogs, 'a script ran').toEqual([]));
  await page.goto(`${ui.url}incidents`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Access token').fill(ui.token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/incidents$/);
  return page;
}

/** Every form control has a label a screen reader announces; the page has one h1 and a language. */
async function accessible(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label')).map((el) => el.outerHTML));
  expect(unlabelled).toEqual([]);
  expect(await page.locator('h1').count()).toBe(1);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
}

async function fits(page: Page, name: string, width: number): Promise<void> {
  await accessible(page);
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `${name} is wider than ${width} px`).toBeLessThanOrEqual(client);
  await page.screenshot({ path: join(ARTEFACTS, `${name}-${width}.png`), fullPage: true });
}

describe('sentra ui in chromium', () => {
  it('logs in, filters, opens an incident, records a decision that `sentra signals` shows', async () => {
    const page = await loggedIn(1280);
    await expect(page.locator('.items > li').count()).resolves.toBeGreaterThan(0);
    await fits(page, 'incidents', 1280);
    // Filter to high incidents about alice.
    await page.getByLabel('Band and above').selectOption('high');
    await page.getByLabel('Account', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/band=high/);
    const items = page.locator('.items > li');
    expect(await items.count()).toBe(1);
    await items.first().locator('a').first().click();
    await page.waitForURL(/\/incidents\/[^/?]+$/);
    await expect(page.locator('h2', { hasText: 'Timeline' }).count()).resolves.toBe(1);
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(1);
    await fits(page, 'incident', 1280);
    // Open the first signal of the incident and resolve it.
    await page.locator('.items > li a[href^="/signals/"]').first().click();
    await page.waitForURL(/\/signals\/[0-9a-f]{12}$/);
    const id = new URL(page.url()).pathname.split('/')[2]!;
    await fits(page, 'signal', 1280);
    await page.getByRole('radio', { name: /^resolved/ }).check();
    await page.getByLabel('By').fill('dana');
    await page.getByLabel('Note').fill('reset the password, keys rotated');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.waitForURL(/recorded=1/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Decision recorded');
    await page.close();
    const listed = sentra(['signals', '--state-dir', stateDir, '--since', '2026-01-01']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').find((l) => l.startsWith(id))).toContain('[resolved by dana]');
  });

  it('renders hostile account names and log lines inert', async () => {
    const page = await loggedIn(1280);
    await page.goto(`${ui.url}signals?host=web-09`);
    const links = await page.locator('.items > li a[href^="/signals/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(0);
    let seen = '';
    for (const href of links) {
      await page.goto(href);
      seen += await page.locator('main').innerText();
      expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe, object').length)).toBe(0);
    }
    expect(seen).toContain(HOSTILE_USER);
    expect(seen).toContain(MENTION_USER);
    await page.goto(`${ui.url}entities/account/${encodeURIComponent(MENTION_USER)}`);
    await expect(page.locator('h1').innerText()).resolves.toBe(`Account ${MENTION_USER}`);
    await fits(page, 'hostile-entity', 1280);
    await page.close();
  });

  it('answers a question in the question box, showing how it understood it first', async () => {
    const page = await loggedIn(1280);
    await page.getByRole('link', { name: 'Ask' }).click();
    await page.getByLabel('Question').fill('failed logins in March');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.waitForURL(/\/ask\?q=/);
    await expect(page.locator('h2').first().innerText()).resolves.toBe('Understood as');
    const rows = await page.locator('.answer tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    await expect(page.locator('main').innerText()).resolves.toContain('203.0.113.66');
    await fits(page, 'ask', 1280);
    await page.getByLabel('Question').fill(`logins by ${HOSTILE_USER} please`);
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.waitForURL(/script/);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    await page.close();
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    const page = await loggedIn(390);
    await fits(page, 'incidents', 390);
    await page.goto(`${ui.url}signals`);
    await fits(page, 'signals', 390);
    await page.locator('.items > li a[href^="/incidents/"]').first().click();
    await fits(page, 'incident', 390);
    await page.locator('.items > li a[href^="/signals/"]').first().click();
    await fits(page, 'signal', 390);
    await page.close();
  });
});
