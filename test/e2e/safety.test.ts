/**
 * The production build under its Content-Security-Policy (public/_headers, put in index.html by
 * the build), in Chromium: a shared link opens, terminal commands run, a packet is sent and the
 * lab script is exported with no policy violation, no request to another origin and no console
 * error. Then a runaway request (the test-only `stall`, page opened with ?knp-test-hooks) makes
 * the watchdog replace the worker while the page keeps answering, and the simulation comes back
 * with the terminal's changes replayed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../src/engine/share/link';
import { contentSecurityPolicy } from '../../vite.config';
import { engineIdle, hasChromium, runInTerminal } from './harness';
import { browserSuite } from './suite';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');

describe.runIf(hasChromium)('the page is safe by construction', () => {
  const env = browserSuite();

  it('the built index.html carries the strict policy', () => {
    const html = readFileSync(`${env.site.dir}/index.html`, 'utf8');
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-eval|unsafe-inline'[^;]*script|\*/);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('runs a link, commands, a packet, exports (lab.sh, PNG, pcap) and a lesson with no violation, no outside request, no console error; survives a runaway request', async () => {
    const site = new URL(env.site.url);
    const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    await ctx.addInitScript(() => {
      localStorage.setItem('knp.lang', 'en');
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const outside: string[] = [];
    const errors: string[] = [];
    ctx.on('request', (r) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== site.origin) outside.push(r.url());
    });
    const page = await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));

    // A link: the scenario with three replicas comes from the fragment.
    const shared = DEFAULT.replace('replicas: 2', 'replicas: 3');
    await page.goto(`${env.site.url}?knp-test-hooks#${encodeFragment({ yaml: shared, journal: [] })}`);
    await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=terminal][data-ready=true]', { timeout: 30_000 });
    await engineIdle(page);
    expect((await runInTerminal(page, 'kubectl get pods')).match(/my-nginx-/g)?.length).toBe(3);

    // A command that changes the simulation (journaled), and a packet.
    expect(await runInTerminal(page, 'kubectl scale deployment my-nginx --replicas=4')).toContain('scaled');
    const form = page.locator('[data-testid=send-packet]');
    await form.locator('select[name=from]').selectOption('pod/default/client');
    await form.locator('input[name=to]').fill('my-nginx');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 20_000 });

    // An export.
    const download = page.waitForEvent('download', { timeout: 15_000 });
    await page.click('[data-testid=lab-download]');
    expect((await download).suggestedFilename()).toBe('lab.sh');
    // The trace's exports: the canvas as PNG (html-to-image draws through a data: URL) and pcap.
    for (const [id, name] of [['export-png', /\.png$/], ['export-pcap', /\.pcap$/]] as const) {
      await page.click('[data-testid=export-menu]');
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(`[data-testid=${id}]`)]);
      expect(dl.suggestedFilename()).toMatch(name);
    }

    // A runaway request: the page stays responsive while the worker spins, then the watchdog
    // (5 s budget) replaces it and the scaled Deployment comes back from the journal.
    const stalled = page.evaluate(() => (window as unknown as { knpTest: { stall(ms: number): Promise<{ ok: boolean; error?: { code: string } }> } }).knpTest.stall(60_000));
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok(null))));
      expect(Date.now() - t0).toBeLessThan(2_000);
      await page.waitForTimeout(500);
    }
    const answer = await stalled;
    expect(answer.ok ? null : answer.error?.code).toBe('worker-died');
    await page.waitForSelector('[data-notice=restarted][data-recovery=recovered]', { timeout: 30_000 });
    const notice = await page.textContent('[data-notice=restarted]');
    expect(notice).toContain('was stopped');
    expect(notice).toContain('run again');
    expect(await runInTerminal(page, 'kubectl get deployment my-nginx')).toMatch(/my-nginx\s+4\/4/);

    // A lesson: its Markdown rendered (no raw HTML), its steps listed, its scenario loaded.
    await page.click('[data-testid=open-lessons]');
    await page.click('[data-testid=lesson-panel] [data-lesson="02-veth-pair"]');
    await page.waitForSelector('[data-testid=lesson-panel] [data-testid=lesson-step]');
    await page.waitForSelector('[data-testid=lesson-panel] h2');
    await engineIdle(page);

    const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(violations).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
