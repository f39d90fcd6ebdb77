/**
 * Nothing lost, everything shareable, in Chromium against the production build: autosave over a
 * reload, links opened over own work, the journal travelling in a link (a DROP typed in the
 * terminal drops for the receiver too), damaged links, ?embed, and the PNG/pcap exports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../src/engine';
import { engineIdle, hasChromium, openApp, runInTerminal, setEditorText } from './harness';
import { browserSuite } from './suite';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const DROP = 'iptables -I OUTPUT -p tcp --dport 80 -j DROP';

const editorText = (page: Page) => page.locator('[data-testid=editor] .view-lines').innerText().then((s) => s.replace(/\u00a0/g, ' '));

/** Waits until the autosave has written the work (the history's newest version is it). */
async function saved(page: Page): Promise<void> {
  await engineIdle(page);
  await page.waitForTimeout(700);
}

async function sendToNginx(page: Page): Promise<string> {
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption('pod/default/client');
  await form.locator('input[name=to]').fill('my-nginx:80');
  await form.locator('button[type=submit]').click();
  const v = page.locator('[data-testid=event-list] [data-verdict]');
  await v.waitFor({ timeout: 20_000 });
  return (await v.getAttribute('data-verdict'))!;
}

/** Leaves the page and loads `url` afresh (a fragment-only change would not reload). */
async function reopen(page: Page, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 30_000 });
  await engineIdle(page);
}

describe.runIf(hasChromium)('share, autosave, embed and exports in Chromium', () => {
  const env = browserSuite();

  it('edit, reload: the edit is there', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, `# my-saved-edit\n${DEFAULT}`);
    await saved(page);
    await page.reload();
    await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 30_000 });
    await engineIdle(page);
    expect(await editorText(page)).toContain('# my-saved-edit');
    await page.context().close();
  });

  it('a DROP typed in the terminal travels in the link: the receiver sees the same dropped verdict', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.locator('.knp-terminal .knp-panel-head select').selectOption('pod/default/client');
    await runInTerminal(page, DROP);
    expect(await sendToNginx(page)).toBe('dropped');
    await page.click('[data-testid=share-button]');
    const link = await page.locator('[data-testid=share-link]').inputValue();
    expect(link).toMatch(/#v=1&d=/);
    await page.context().close();

    const receiver = await openApp(env.browser, env.site.url);
    await reopen(receiver, link);
    const v = receiver.locator('[data-testid=event-list] [data-verdict]');
    await v.waitFor({ timeout: 20_000 });
    expect(await v.getAttribute('data-verdict')).toBe('dropped');
    expect(await receiver.evaluate(() => location.hash)).toBe('');
    await receiver.context().close();
  });

  it('opening a link over own work keeps the own work in the history, restorable', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, `# own-work-marker\n${DEFAULT}`);
    await saved(page);
    await reopen(page, `${env.site.url}#${encodeFragment({ yaml: `# from-the-link\n${DEFAULT}`, journal: [] })}`);
    expect(await editorText(page)).toContain('# from-the-link');
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.click('[data-testid=history-button]');
    const panel = page.locator('[data-testid=history-panel]');
    await panel.waitFor();
    expect(await panel.locator('[data-testid=history-item][data-source=link]').count()).toBe(1);
    const own = panel.locator('[data-testid=history-item][data-source=edit]').first();
    await own.locator('button').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=editor] .view-lines')?.textContent ?? '').includes('own-work-marker'), null, { timeout: 10_000 });
    // A reload after that shows the restored work, not the link again.
    await saved(page);
    await page.reload();
    await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 30_000 });
    expect(await editorText(page)).toContain('# own-work-marker');
    await page.context().close();
  });

  it('a corrupt link shows the message and keeps the current work', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, `# keep-me\n${DEFAULT}`);
    await saved(page);
    const good = encodeFragment({ yaml: 'nodes: []\n', journal: [] });
    await reopen(page, `${env.site.url}#${good.slice(0, -8)}`);
    const msg = page.locator('[data-testid=link-error]');
    await msg.waitFor({ timeout: 10_000 });
    expect(await msg.innerText()).toMatch(/damaged or cut short/);
    expect(await editorText(page)).toContain('# keep-me');
    await page.context().close();
  });

  it('the link error is in Chinese for a zh-CN learner', async () => {
    const page = await openApp(env.browser, env.site.url, { lang: 'zh-CN' });
    await reopen(page, `${env.site.url}#v=9&d=abc`);
    const msg = page.locator('[data-testid=link-error]');
    await msg.waitFor({ timeout: 10_000 });
    expect(await msg.innerText()).toContain('更新版本');
    await page.context().close();
  });

  it('?embed shows canvas, playback and events without the editor; &edit=1 adds it', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.goto(`${env.site.url}?embed`);
    await page.waitForSelector('[data-testid=canvas] .react-flow__node', { timeout: 30_000 });
    for (const id of ['canvas', 'trace-play', 'event-list']) expect(await page.locator(`[data-testid=${id}]`).count(), id).toBe(1);
    expect(await page.locator('[data-testid=editor]').count()).toBe(0);
    expect(await page.locator('[data-testid=terminal]').count()).toBe(0);
    await page.goto(`${env.site.url}?embed&edit=1`);
    await page.waitForSelector('[data-testid=editor]', { timeout: 30_000 });
    expect(await page.locator('[data-testid=editor]').count()).toBe(1);
    await page.context().close();
  });

  it('PNG and pcap downloads are valid files (the pcap read back by tshark)', async () => {
    const page = await openApp(env.browser, env.site.url);
    await sendToNginx(page);
    const dir = mkdtempSync(join(tmpdir(), 'knp-share-e2e-'));
    try {
      const grab = async (id: string): Promise<{ path: string; name: string }> => {
        await page.click('[data-testid=export-menu]');
        // html-to-image clones the whole canvas with its styles: slow on a busy machine.
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 150_000 }), page.click(`[data-testid=${id}]`, { noWaitAfter: true })]);
        const path = join(dir, dl.suggestedFilename());
        await dl.saveAs(path);
        return { path, name: dl.suggestedFilename() };
      };
      const png = await grab('export-png');
      expect(png.name).toBe('playground.png');
      const bytes = readFileSync(png.path);
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const cssWidth = await page.locator('[data-testid=canvas] .react-flow').evaluate((e) => e.getBoundingClientRect().width);
      expect(bytes.readUInt32BE(16)).toBe(Math.round(cssWidth * 2)); // IHDR width: 2× the canvas

      const md = await grab('export-markdown');
      expect(md.name).toMatch(/^playground-.*\.md$/);
      const text = readFileSync(md.path, 'utf8');
      expect(text).toMatch(/^# Packet trace: pod\/default\/client → my-nginx:80/);
      expect(text).toMatch(/^## Story\n\n1\. \*\*\S+/m);

      const pcap = await grab('export-pcap');
      expect(pcap.name).toMatch(/^playground-.*\.pcap$/);
      expect(pcap.name).toMatch(/\.pcap$/);
      const out = execFileSync('tshark', ['-r', pcap.path, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.dstport'], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
      const rows = out.trim().split('\n');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.split('\t')[1] === '80')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await page.context().close();
    }
  }, 240_000);

  it('a reachability matrix cell click sends that packet and opens its trace', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.click('[data-testid=reach-button]');
    const panel = page.locator('[data-testid=reach-matrix]');
    await panel.locator('[data-testid=reach-cell]').first().waitFor({ timeout: 20_000 });
    const cell = panel.locator('[data-testid=reach-cell][data-from="pod/default/client"][data-to^="pod/default/my-nginx"]').first();
    expect(await cell.getAttribute('data-allowed')).toBe('true');
    const to = (await cell.getAttribute('data-to'))!;
    await cell.click();
    const v = page.locator('[data-testid=event-list] [data-verdict]');
    await v.waitFor({ timeout: 20_000 });
    expect(await v.getAttribute('data-verdict')).toBe('delivered');
    // The trace is the one of that cell: from the client to that Pod's IP.
    const from = await page.locator('[data-testid=send-packet] select[name=from]').inputValue();
    const dest = await page.locator('[data-testid=send-packet] input[name=to]').inputValue();
    expect(from).toBe('pod/default/client');
    expect(dest).toMatch(/^\d+\.\d+\.\d+\.\d+:80$/);
    expect(to).toMatch(/^pod\/default\/my-nginx/);
    await page.context().close();
  });

  it('the compare view shows the same Send delivered without the typed DROP and dropped with it', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.locator('.knp-terminal .knp-panel-head select').selectOption('pod/default/client');
    await runInTerminal(page, DROP);
    expect(await sendToNginx(page)).toBe('dropped');
    await page.click('[data-testid=compare-button]');
    const view = page.locator('[data-testid=compare-view]');
    await view.locator('[data-testid=compare-trace]').waitFor({ timeout: 20_000 });
    expect(await view.locator('select[name=compare-base]').inputValue()).toBe('yaml');
    expect(await view.locator('[data-testid=compare-trace] .knp-verdict').allInnerTexts()).toEqual(['delivered', 'dropped']);
    expect(await view.getAttribute('data-changed')).toBe('true');
    await page.context().close();
  });
});
