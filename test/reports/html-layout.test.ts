// The weekly HTML in a real browser (Debian's chromium, driven by playwright-core): readable on a phone
// (390 px) and a desk (1000 px) without sideways scrolling, and a high card looks different from a medium one.
// Screenshots are kept as artefacts under the system temp directory (sentra-artefacts/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../agent/store/local-store.js';
import { parseWeek } from '../../reports/period.js';
import { render } from '../../reports/render.js';
import { buildWeekly } from '../../reports/weekly/weekly.js';
import { scenarioStore } from '../helpers/store.js';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => { await browser?.close(); });

describe('weekly HTML in chromium', () => {
  it('fits 390 px and 1000 px without sideways scrolling, with high and medium cards told apart', async () => {
    const { config } = await scenarioStore();
    const facts = buildWeekly({ store: new LocalStore(config.state_dir, config.store), stateDir: config.state_dir, period: parseWeek('2026-W11') });
    const html = render('weekly', 'html', facts);
    const artefacts = join(tmpdir(), 'sentra-artefacts');
    mkdirSync(artefacts, { recursive: true });
    const file = join(artefacts, 'weekly-2026-W11.html');
    writeFileSync(file, html);
    for (const width of [390, 1000]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`file://${file}`);
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(scroll, `page wider than ${width} px`).toBeLessThanOrEqual(client);
      await page.screenshot({ path: join(artefacts, `weekly-${width}.png`), fullPage: true });
      const borders = await page.evaluate(() => [...document.querySelectorAll('table[style*="border-left:6px"]')]
        .map((t) => getComputedStyle(t as HTMLElement).borderLeftColor));
      expect(borders.length).toBeGreaterThan(0);
      await page.close();
    }
    expect(html).toContain('#cf222e'); // high
    expect(render('weekly', 'html', { ...facts, needs_action: facts.needs_action.map((s) => ({ ...s, band: 'medium' as const })),
      incidents: (facts.incidents ?? []).map((i) => ({ ...i, band: 'medium' as const })) })).not.toContain('#cf222e');
  }, 120_000);
});
