/**
 * The UI at scale, in Chromium against the production build: the generated M cluster (10 nodes,
 * 300 Pods, bench/scenarios/generate.ts) draws its crowded nodes' Pods as counted groups and a
 * click on a group draws its Pods; the cost view plots what Services cost kube-proxy with the
 * scenario's own point marked, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../src/engine';
import { generate, SIZES } from '../../bench/scenarios/generate';
import { hasChromium, openApp } from './harness';
import { browserSuite } from './suite';

describe.runIf(hasChromium)('the UI at scale', () => {
  const env = browserSuite();

  it('draws the M cluster\'s Pods as counted groups per node, and a click on a group draws its Pods', async () => {
    const page = await openApp(env.browser, `${env.site.url}#${encodeFragment({ yaml: generate('M'), journal: [] })}`);
    try {
      const groups = page.locator('[data-testid=canvas] [data-testid=pod-group]');
      await groups.first().waitFor({ timeout: 60_000 });
      const counts = await groups.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-knp-id')!, count: Number(e.getAttribute('data-count')) })));
      expect(counts.length).toBeGreaterThanOrEqual(10);
      for (const g of counts) expect(g.count).toBeGreaterThan(0);
      // The groups count every workload Pod of the scenario (its generated Pods, the client among them).
      const workload = counts.filter((g) => !g.id.endsWith('/kube-system')).reduce((a, g) => a + g.count, 0);
      expect(workload).toBe(SIZES.M.pods);
      // Collapsed: no Pod is drawn one by one.
      expect(await page.locator('[data-testid=canvas] .react-flow__node-pod').count()).toBe(0);
      const target = counts.find((g) => g.id.endsWith('/team-1'))!;
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

  for (const lang of ['en', 'zh-CN'] as const) {
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
