import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { basicModule } from '@ydtb/basic';
import { launchChromium } from '../../../../../test/chromium';
import { createContainer } from '@ydtb/core/internal/lib/registry/container';
import { DatabaseRegistry } from '@ydtb/core/internal/lib/registry/database';
import type { RegisteredPackage } from '@ydtb/core/internal/types/database-registry';
import { toHtmlPage } from './html-page';
import { legendOf } from './legend';
import { toMermaidEr } from './mermaid-er';
import { awkwardPackage } from './test-packages';

interface Rendered {
  readonly state: string | null;
  readonly svgText: string;
  readonly sourceText: string;
  readonly title: string;
  readonly legendText: string;
  /** Every request for something other than file: or data:, and every WebSocket. */
  readonly network: readonly string[];
  readonly errors: readonly string[];
}

const isLocal = (url: string): boolean => url.startsWith('file:') || url.startsWith('data:');

describe('toHtmlPage', () => {
  let browser: Browser;
  let folder: string;
  let pages = 0;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ydtb-graph-'));
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Opens the page from a file:// URL, fails every other request, and waits for Mermaid's outcome. */
  async function render(html: string, javaScriptEnabled = true): Promise<Rendered> {
    const file = join(folder, `page-${++pages}.html`);
    writeFileSync(file, html);
    const context: BrowserContext = await browser.newContext({ javaScriptEnabled });
    const network = new Set<string>();
    const errors: string[] = [];
    try {
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        network.add(url);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('request', (request) => void (isLocal(request.url()) || network.add(request.url())));
      page.on('websocket', (socket) => void network.add(socket.url()));
      page.on('pageerror', (error) => void errors.push(error.message));
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      await page.goto(pathToFileURL(file).href);
      if (javaScriptEnabled) await page.waitForSelector('#diagram:not([data-state="pending"])', { timeout: 30_000 });
      const svg = page.locator('#diagram > svg');
      return {
        state: await page.getAttribute('#diagram', 'data-state'),
        svgText: (await svg.count()) > 0 ? ((await svg.textContent()) ?? '') : '',
        sourceText: (await page.locator('#diagram-source').textContent()) ?? '',
        title: await page.title(),
        legendText: (await page.locator('#legend').innerText()) ?? '',
        network: [...network],
        errors,
      };
    } finally {
      await context.close();
    }
  }

  function packagesWithBasic(): RegisteredPackage[] {
    const registry = createContainer([basicModule]).get(DatabaseRegistry);
    return [registry.core, ...registry.list()];
  }

  describe('when Chromium opens the diagram of core and @ydtb/basic offline', () => {
    const packages = packagesWithBasic();
    const tables = packages.flatMap((p) => p.tables.map((t) => t.config.name));
    let rendered: Rendered;

    beforeAll(async () => {
      rendered = await render(toHtmlPage(toMermaidEr(packages), 'ydtb database', legendOf(packages)));
    }, 120_000);

    it('should draw an SVG naming every table', () => {
      expect(rendered.errors).toEqual([]);
      expect(rendered.state).toBe('rendered');
      for (const table of tables) expect(rendered.svgText).toContain(table);
    });

    it('should draw each package as a labelled group', () => {
      expect(rendered.svgText).toContain('@ydtb/core 0.1.0');
      expect(rendered.svgText).toContain('@ydtb/basic 1.0.0');
    });

    it('should make no request outside file: and data:', () => {
      expect(rendered.network).toEqual([]);
    });
  });

  describe('when JavaScript is off', () => {
    it('should still list every package and its tables', async () => {
      const packages = packagesWithBasic();

      const rendered = await render(toHtmlPage(toMermaidEr(packages), 'ydtb database', legendOf(packages)), false);

      expect(rendered.state).toBe('pending');
      for (const pkg of packages) {
        expect(rendered.legendText).toContain(pkg.registration.packageName);
        for (const table of pkg.tables) expect(rendered.legendText).toContain(table.config.name);
      }
    });
  });

  describe('when names need quoting and the title and source hold HTML', () => {
    it('should draw the awkward tables and keep the text exactly', async () => {
      const packages = [...packagesWithBasic(), awkwardPackage()];
      const text = `${toMermaidEr(packages)}  %% </pre></script><script>window.injected = 1</script> & &amp; <!--\n`;
      const title = 'Tables <b>&</b> "keys" </title>';

      const rendered = await render(toHtmlPage(text, title, legendOf(packages)));

      expect(rendered.errors).toEqual([]);
      expect(rendered.state).toBe('rendered');
      for (const table of ['ydtb odd table', 'crm.contacts', 'end', "ydtb 'x' 5' direction_LR", 'ydtb_basic_notes']) {
        expect(rendered.svgText).toContain(table);
      }
      expect(rendered.svgText).toContain('pk-ref');
      expect(rendered.sourceText).toBe(text);
      expect(rendered.title).toBe(title);
      expect(rendered.network).toEqual([]);
    }, 120_000);
  });

  describe('when the diagram text is invalid', () => {
    it('should say so on the page instead of drawing', async () => {
      const rendered = await render(toHtmlPage('erDiagram\n  a ||--o{\n', 'broken'));

      expect(rendered.state).toBe('failed');
      expect(rendered.svgText).toBe('');
      expect(rendered.network).toEqual([]);
    }, 120_000);
  });
});
