/**
 * The UI at scale, in Chromium against the production build: the generated M cluster (10 nodes,
 * 300 Pods, bench/scenarios/generate.ts) draws its crowded nodes' Pods as counted groups and a
 * click on a group draws its Pods; its 100 Services fold into one counted group per namespace,
 * in rows no wider than the machines, the Service a trace goes through is drawn on its own, and
 * zooming in on a group opens it (zooming out folds it again); at the fitted zoom each machine reads
 * as a summary in the page's language, its Pods drawn once zoomed in; the cost view plots what Services cost kube-proxy with the
 * scenario's own point marked, in both languages.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../src/engine';
import { generate, SIZES } from '../../bench/scenarios/generate';
import { traceRequest } from '../../bench/scale';
import { hasChromium, openApp } from './harness';
import { browserSuite } from './suite';

/** Wheels the canvas in over `target` until it is no longer zoomed out past the machines' summaries. */
async function zoomInOn(page: Page, target: Locator): Promise<void> {
  const canvas = page.locator('[data-testid=canvas]');
  for (let i = 0; i < 16 && (await canvas.getAttribute('data-zoom')) === 'far'; i++) {
    const b = (await target.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(400);
  }
  expect(await canvas.getAttribute('data-zoom')).not.toBe('far');
}

describe.runIf(hasChromium)('the UI at scale', () => {
  const env = browserSuite();

  it('draws the M cluster\'s Pods as counted groups per node, and a click on a group draws its Pods', async () => {
    const page = await openApp(env.browser, `${env.site.url}#${encodeFragment({ yaml: generate('M'), journal: [] })}`);
    try {
      const groups = page.locator('[data-testid=canvas] [data-testid=pod-group]');
      // Attached: at the fitted zoom the machines' summaries stand over them.
      await groups.first().waitFor({ state: 'attached', timeout: 60_000 });
      const counts = await groups.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-knp-id')!, count: Number(e.getAttribute('data-count')) })));
      expect(counts.length).toBeGreaterThanOrEqual(10);
      for (const g of counts) expect(g.count).toBeGreaterThan(0);
      // The groups count every workload Pod of the scenario (its generated Pods, the client among them).
      const workload = counts.filter((g) => !g.id.endsWith('/kube-system')).reduce((a, g) => a + g.count, 0);
      expect(workload).toBe(SIZES.M.pods);
      // Collapsed: no Pod is drawn one by one.
      expect(await page.locator('[data-testid=canvas] .react-flow__node-pod').count()).toBe(0);
      const target = counts.find((g) => g.id.endsWith('/team-1'))!;
      // At the fitted zoom each machine shows its summary over its Pods: zoom in on the group first.
      await zoomInOn(page, page.locator(`[data-testid=pod-group][data-knp-id="${target.id}"]`));
      await page.locator(`[data-testid=pod-group][data-knp-id="${target.id}"]`).click();
      await page.locator(`[data-testid=pod-group][data-knp-id="${target.id}"][data-expanded=true]`).waitFor();
      const ns = target.id.split('/')[2]!;
      const pods = page.locator(`[data-testid=canvas] .react-flow__node-pod [data-knp-id^="pod/${ns}/"]`);
      await pods.first().waitFor();
      expect(await pods.count()).toBe(target.count);
      // A second click folds them back.
      await page.locator(`[data-testid=pod-group][data-knp-id="${target.id}"]`).click();
      await page.locator(`[data-testid=pod-group][data-knp-id="${target.id}"][data-expanded=false]`).waitFor();
      expect(await page.locator('[data-testid=canvas] .react-flow__node-pod').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  }, 180_000);

  it('folds the M cluster\'s Services per namespace, draws the one a trace goes through, and zooming in on a group opens it', async () => {
    const page = await openApp(env.browser, `${env.site.url}#${encodeFragment({ yaml: generate('M'), journal: [] })}`);
    try {
      const canvas = page.locator('[data-testid=canvas]');
      const groups = canvas.locator('[data-testid=service-group]');
      await groups.first().waitFor({ timeout: 60_000 });
      const counted = await groups.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counted).toHaveLength(SIZES.M.namespaces);
      const single = await canvas.locator('.react-flow__node-service').count();
      // Every generated Service is in a group; kubernetes and kube-dns are alone in their namespaces.
      expect(counted.reduce((a, b) => a + b, 0)).toBe(SIZES.M.services);
      expect(single).toBe(2);
      // The rows of Services are no wider than the machines: the machines keep their size.
      const right = async (sel: string) => Math.max(...(await canvas.locator(sel).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))));
      const left = async (sel: string) => Math.min(...(await canvas.locator(sel).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left))));
      const svcSel = '.react-flow__node-service, .react-flow__node-servicegroup';
      expect(await right(svcSel)).toBeLessThanOrEqual(await right('.react-flow__node-machine') + 2);
      expect(await left(svcSel)).toBeGreaterThanOrEqual(await left('.react-flow__node-machine') - 120);

      // A trace to a Service in a folded group: that Service is drawn on its own.
      const req = traceRequest('M');
      const svc = `svc/${/^http:\/\/([^.]+)\.([^.]+)\./.exec(req.to)!.slice(1, 3).reverse().join('/')}`;
      expect(await canvas.locator(`.react-flow__node-service [data-knp-id="${svc}"]`).count()).toBe(0);
      const form = page.locator('[data-testid=send-packet]');
      await form.locator('select[name=from]').selectOption(req.from);
      await form.locator('input[name=to]').fill(req.to);
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 60_000 });
      await canvas.locator(`.react-flow__node-service [data-knp-id="${svc}"]`).waitFor({ timeout: 10_000 });
      const ns = svc.split('/')[1]!;
      expect(await canvas.locator(`[data-testid=service-group][data-knp-id="svcgroup/${ns}"]`).getAttribute('data-expanded')).toBe('false');

      // Zooming in on a folded Pod group opens it; zooming back out folds it.
      await page.click('[data-testid=trace-pause]').catch(() => undefined);
      const group = canvas.locator('[data-testid=pod-group][data-expanded=false]').first();
      const id = (await group.getAttribute('data-knp-id'))!;
      const me = canvas.locator(`[data-testid=pod-group][data-knp-id="${id}"]`);
      const zoom = () => page.evaluate(() => Number(/scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)?.[1]));
      for (let i = 0; i < 12 && (await me.getAttribute('data-expanded')) !== 'true'; i++) {
        const b = (await me.boundingBox())!;
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        await page.mouse.wheel(0, -200);
        await page.waitForTimeout(600);
      }
      expect(await me.getAttribute('data-expanded')).toBe('true');
      expect(await zoom()).toBeGreaterThanOrEqual(0.6);
      await canvas.locator(`.react-flow__node-pod [data-knp-id^="pod/${id.split('/')[2]}/"]`).first().waitFor();
      for (let i = 0; i < 12 && (await me.getAttribute('data-expanded')) !== 'false'; i++) {
        await page.mouse.wheel(0, 300);
        await page.waitForTimeout(600);
      }
      expect(await me.getAttribute('data-expanded')).toBe('false');
      expect(await zoom()).toBeLessThan(0.45);
    } finally {
      await page.context().close();
    }
  }, 240_000);

  for (const lang of ['en', 'zh-CN'] as const) {
    it(`zoomed out, each machine of the M cluster reads as a summary (name, address, Pod range, Pods); zoomed in, its Pods are drawn instead (${lang})`, async () => {
      const page = await openApp(env.browser, `${env.site.url}#${encodeFragment({ yaml: generate('M'), journal: [] })}`, { lang });
      try {
        const canvas = page.locator('[data-testid=canvas]');
        const cards = canvas.locator('[data-testid=machine-summary]');
        await cards.first().waitFor({ timeout: 60_000 });
        expect(await canvas.getAttribute('data-zoom')).toBe('far');
        expect(await cards.count()).toBe(SIZES.M.nodes);
        const card = canvas.locator('[data-testid=machine-summary][data-knp-id="node/node-2"]');
        // Its name and address are drawn 11 px or more on screen; the rest is on hover.
        const text = await card.innerText();
        expect(text).toContain('node-2');
        expect(text).toContain('192.168.1.12');
        const px = await card.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().width / (el as HTMLElement).offsetWidth);
        expect(px).toBeGreaterThanOrEqual(11);
        const title = (await card.getAttribute('title'))!;
        expect(title).toMatch(lang === 'en' ? /Pod range 10\.244\.\d+\.0\/24/ : /Pod 网段 10\.244\.\d+\.0\/24/);
        expect(title).toMatch(lang === 'en' ? /\d+ Pods, \d+ running/ : /\d+ 个 Pod，\d+ 个在运行/);
        // Under the summaries the machines' Pod groups are not drawn.
        const shownGroups = () => canvas.locator('[data-testid=pod-group]').evaluateAll((els) => els.filter((e) => getComputedStyle(e.closest('.react-flow__node')!).visibility !== 'hidden').length);
        expect(await shownGroups()).toBe(0);
        // Zoomed in: the summaries go and the machines' contents are drawn, nothing laid out again.
        const before = await canvas.locator('.react-flow__node-machine').first().evaluate((e) => (e as HTMLElement).style.transform);
        for (let i = 0; i < 12 && (await canvas.getAttribute('data-zoom')) === 'far'; i++) {
          await page.click('.react-flow__controls-zoomin');
          await page.waitForTimeout(300);
        }
        expect(await canvas.getAttribute('data-zoom')).not.toBe('far');
        await expect.poll(() => cards.count()).toBe(0);
        await expect.poll(shownGroups).toBeGreaterThan(0);
        expect(await canvas.locator('.react-flow__node-machine').first().evaluate((e) => (e as HTMLElement).style.transform)).toBe(before);
      } finally {
        await page.context().close();
      }
    }, 180_000);

    it(`the cost view plots the three modes from 10 to 10,000 Services with the scenario's point marked (${lang})`, async () => {
      const page = await openApp(env.browser, env.site.url, { lang });
      try {
        await page.click('[data-testid=cost-button]');
        const view = page.locator('[data-testid=cost-view][data-ready=true]');
        await view.waitFor({ timeout: 30_000 });
        const chart = view.locator('[data-testid=cost-chart]');
        expect(await chart.locator('[data-testid=cost-line]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mode')))).toEqual(['iptables', 'ipvs', 'nftables']);
        // Every line runs through the curve's points (10 … 10,000 Services).
        for (const pts of await chart.locator('[data-testid=cost-line]').evaluateAll((els) => els.map((e) => e.getAttribute('points')!.trim().split(' ').length))) expect(pts).toBe(7);
        const here = chart.locator('[data-testid=cost-current]');
        // The default scenario's Services (my-nginx, my-nginx-nodeport, kube-dns, kubernetes).
        expect(Number(await here.getAttribute('data-services'))).toBeGreaterThanOrEqual(2);
        expect(await here.locator('circle').count()).toBe(3);
        expect(await view.locator('[data-testid=cost-table] tbody tr').count()).toBe(5);
        const title = await view.locator('.knp-panel-head strong').innerText();
        expect(title).toBe(lang === 'en' ? 'What Services cost kube-proxy' : 'Service 给 kube-proxy 带来的开销');
        // Another figure re-plots the same lines.
        await view.locator('[data-testid=cost-metric]').nth(2).click();
        expect(await chart.getAttribute('data-metric')).toBe('serviceChange');
      } finally {
        await page.context().close();
      }
    }, 120_000);
  }
});
