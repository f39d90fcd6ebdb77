/**
 * The browser tier's harness: builds the app once into a temporary directory, serves it with
 * a tiny static server on a free port, and drives Debian's Chromium with playwright-core.
 * Never downloads a browser.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.ttf': 'font/ttf', '.map': 'application/json', '.wasm': 'application/wasm',
};

export interface Site {
  readonly url: string;
  readonly dir: string;
  close(): Promise<void>;
}

/** `vite build` into a fresh directory, then serve it. */
export async function buildAndServe(): Promise<Site> {
  const dir = mkdtempSync(join(tmpdir(), 'knp-e2e-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`, dir,
    close: () => new Promise<void>((ok) => server.close(() => { rmSync(dir, { recursive: true, force: true }); ok(); })),
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh page at 1280×720 with the app loaded, the editor and the terminal ready, the engine idle. */
export async function openApp(browser: Browser, url: string, opts: { theme?: 'light' | 'dark'; lang?: 'en' | 'zh-CN' } = {}): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript(([theme, lang]) => {
    localStorage.setItem('knp.theme', theme!);
    localStorage.setItem('knp.lang', lang!);
  }, [opts.theme ?? 'light', opts.lang ?? 'en']);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => process.stderr.write(`pageerror: ${e.message}\n`));
  await page.goto(url);
  await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=terminal][data-ready=true]', { timeout: 30_000 });
  await engineIdle(page);
  return page;
}

export async function engineIdle(page: Page): Promise<void> {
  await page.waitForSelector('.knp-status.status-ready', { timeout: 30_000 });
}

/** The model ids of every node drawn on the canvas. */
export function canvasIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=canvas] .react-flow__node [data-knp-id]', (els) => els.map((e) => e.getAttribute('data-knp-id')!).filter((id) => !id.includes('/netfilter/') && !id.startsWith('chain/')));
}

/** Replaces the whole scenario text in Monaco by pasting it (typing would auto-indent every line). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  // The editor's box, not .view-lines: that layer can be taller than the editor on screen, so
  // its middle may fall on whatever is beside a short editor (the lesson panel, the terminal).
  await page.click('[data-testid=editor] .monaco-editor');
  await page.keyboard.press('Control+A');
  await paste(page, text);
}

/** Pastes text where the editor's cursor is, through a real paste event. */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * Types a line into the terminal and waits until a fresh prompt follows it; returns the output
 * in between. Long lines wrap over several rows, so the command is matched across rows.
 */
export async function runInTerminal(page: Page, line: string): Promise<string> {
  await page.click('[data-testid=terminal] .xterm-screen');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  const handle = await page.waitForFunction((typed) => {
    const rows = [...(document.querySelector('[data-testid=terminal] .xterm-rows')?.children ?? [])].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd());
    const prompt = /^[\w@.-]+:~(\/ )?# ?/;
    for (let p = rows.length - 1; p >= 0; p--) {
      if (!prompt.test(rows[p]!)) continue;
      // Rows are trimmed, so a space where the line wrapped is gone: compare without whitespace.
      const squash = (s: string) => s.replace(/\s+/g, '');
      let text = rows[p]!.replace(prompt, '');
      let k = p;
      while (!squash(text).includes(squash(typed)) && k + 1 < rows.length && text.length < typed.length + 200) text += rows[++k];
      if (!squash(text).includes(squash(typed))) continue;
      const next = rows.findIndex((r, i) => i > k && prompt.test(r) && r.replace(prompt, '') === '');
      // An object, because an empty output ('') would read as "not yet" to waitForFunction.
      return next < 0 ? null : { out: rows.slice(k + 1, next).join('\n') };
    }
    return null;
  }, line, { timeout: 15_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}\nterminal shows:\n${await terminalText(page)}`);
  });
  return ((await handle.jsonValue()) as { out: string }).out;
}

export function terminalText(page: Page): Promise<string> {
  return page.$eval('[data-testid=terminal] .xterm-rows', (el) => [...el.children].map((r) => r.textContent ?? '').join('\n'));
}

/** Leaves the story view (the default) for the list of every event, where playback moves by event. */
export async function allEvents(page: Page): Promise<void> {
  const toggle = page.locator('[data-testid=story-toggle]');
  if (await toggle.isChecked()) await toggle.uncheck();
  await page.waitForSelector('[data-testid=event-list][data-view=events]');
}

/** Clicks the event list's row for trace event `i`: the list is virtual, so it scrolls there first. */
export async function clickEvent(page: Page, i: number): Promise<void> {
  await allEvents(page);
  await page.$eval('[data-testid=event-list] .knp-panel-body', (body, n) => {
    const ol = body.querySelector<HTMLElement>('.knp-event-rows');
    if (ol) body.scrollTop = Math.max(0, ol.offsetTop + 4 + n * 24 - 48);
  }, i);
  const row = page.locator(`[data-testid=event-list] .knp-event[data-index="${i}"]`);
  await row.waitFor({ state: 'attached', timeout: 5_000 });
  await row.click();
}

/** How many story steps are wholly on screen in the story list (none cut by its scroll box). */
export function wholeSteps(page: Page): Promise<number> {
  return page.$eval('[data-testid=event-list] .knp-panel-body', (list) => {
    const r = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-testid=story-step]')].filter((s) => { const b = s.getBoundingClientRect(); return b.height > 0 && b.top >= r.top - 1 && b.bottom <= r.bottom + 1; }).length;
  });
}

/**
 * What a learner can read on the canvas at the current zoom: text drawn under 11 px, text its
 * box clips (sideways or below the box), labels cut to the same text although their names
 * differ (FitText keeps the distinguishing end), and devices (or the kernel view's netfilter
 * box) an overlay covers.
 */
export function readability(page: Page) {
  return page.evaluate(() => {
    const vp = document.querySelector('.react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrix(getComputedStyle(vp).transform).a;
    const small: string[] = [];
    const clipped: string[] = [];
    for (const el of document.querySelectorAll('[data-testid=canvas] .react-flow__node *, [data-testid=canvas] .react-flow__edgelabel-renderer *')) {
      if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
      const r = el.getBoundingClientRect();
      if (!r.width) continue;
      const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
      if (px < 11) small.push(`${el.textContent} ${px.toFixed(1)}px`);
      const box = el.closest(':is(.knp-pod, .knp-device, .knp-service, .knp-host, .knp-machine-title, .knp-hook, .knp-nf-title, .knp-underlay)');
      if (!box) continue;
      const b = box.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1) clipped.push(el.textContent!);
    }
    // Cut labels: the same text on screen must mean the same name.
    const byShown = new Map<string, Set<string>>();
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid=canvas] .react-flow__node .knp-fit')) {
      if (!el.getBoundingClientRect().width) continue;
      const set = byShown.get(el.textContent!) ?? new Set<string>();
      set.add(el.dataset['full']!);
      byShown.set(el.textContent!, set);
    }
    const alike = [...byShown].filter(([, names]) => names.size > 1).map(([shown, names]) => `${shown}: ${[...names].join(' / ')}`);
    const overlays = [...document.querySelectorAll('[data-testid=canvas] :is(.react-flow__minimap, .knp-canvas-hint, .knp-follow, .react-flow__controls)')].map((e) => e.getBoundingClientRect());
    const devices = [...document.querySelectorAll('[data-testid=canvas] .react-flow__node :is(.knp-pod, .knp-device, .knp-service, .knp-host, .knp-netfilter)')].map((e) => ({ id: e.getAttribute('data-knp-id'), r: e.getBoundingClientRect() }));
    const covered = devices.filter(({ r }) => overlays.some((o) => o.left < r.right && r.left < o.right && o.top < r.bottom && r.top < o.bottom)).map((d) => d.id);
    return { zoom, small, clipped, alike, covered, devices: devices.length };
  });
}
