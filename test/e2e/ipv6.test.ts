/**
 * IPv6 in the playground (issue #18), in Chromium at 1280×720: the dual-stack scenario (plus a
 * PreferDualStack Service) draws both addresses of a Pod and a Service, readable at the fitted
 * zoom and whole in the object inspector; an ICMPv6 echo from the client to the web Pod's IPv6
 * address shows the IPv6 header and the ICMPv6 type in the packet inspector, in English and in
 * Chinese. The addresses expected are the engine's, run in-process on the same YAML and seed.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildSim, encodeFragment } from '../../src/engine';
import { hasChromium, openApp, readability } from './harness';
import { browserSuite } from './suite';

const SHOTS = process.env['KNP_SHOTS'];
const YAML = `${readFileSync(new URL('../../content/scenarios/dual-stack.yaml', import.meta.url), 'utf8')}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 80}]
`;

const model = buildSim(YAML, { seed: 1, file: 'scenario.yaml' }).sim.model;
const webPod = model.pods.find((p) => p.meta.name === 'web')!;
const webSvc = model.services.find((s) => s.meta.name === 'web')!;
const web6 = webPod.podIPs!.find((a) => a.includes(':'))!;

/** The app opened on the scenario as a share link does it: a fresh layout, fitted. */
async function open(env: { browser: Parameters<typeof openApp>[0]; site: { url: string } }, lang: 'en' | 'zh-CN'): Promise<Page> {
  const page = await openApp(env.browser, `${env.site.url}#${encodeFragment({ yaml: YAML, journal: [] })}`, { lang });
  await page.waitForSelector('[data-testid=canvas] [data-knp-id="svc/default/web"]', { timeout: 30_000 });
  await page.click('[data-testid=canvas] .react-flow__controls-fitview');
  await page.waitForTimeout(400);
  return page;
}

/** The whole addresses a canvas node draws (data-full), in order, and how many are on screen. */
function addresses(page: Page, id: string): Promise<{ full: string[]; shown: number }> {
  return page.$eval(`[data-testid=canvas] [data-knp-id="${id}"] [data-testid=addresses]`, (el) => {
    const fits = [...el.querySelectorAll<HTMLElement>('[data-full]')];
    return { full: fits.map((f) => f.dataset['full']!), shown: fits.filter((f) => f.getBoundingClientRect().width > 0).length };
  });
}

/** Sends an ICMP echo from the client to the web Pod's IPv6 address and stops the replay on the first story step. */
async function ping6(page: Page): Promise<void> {
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption('pod/default/client');
  await form.locator('input[name=to]').fill(web6);
  await form.locator('select[name=protocol]').selectOption('icmp');
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 30_000 });
  await page.click('[data-testid=trace-pause]');
  await page.locator('[data-testid=story-step] .knp-step-main').first().click();
  await page.waitForSelector('[data-testid=inspector-out] [data-layer=IPv6]');
}

/** The out side's rows of one header: field key → [label, value]. */
function rows(page: Page, layer: string): Promise<Record<string, [string, string]>> {
  return page.$eval(`[data-testid=inspector-out] [data-layer=${layer}]`, (el) => Object.fromEntries(
    [...el.querySelectorAll('tr[data-field]')].map((r) => [r.getAttribute('data-field')!, [r.querySelector('th')!.textContent!, r.querySelector('td')!.textContent!]]),
  ));
}

describe.runIf(hasChromium)('IPv6 in Chromium', () => {
  const env = browserSuite();

  it('the dual-stack cluster draws both addresses of a Pod and a Service, readable at 1280×720, whole in the inspector', { timeout: 180_000 }, async () => {
    expect(webPod.podIPs).toHaveLength(2);
    expect(webSvc.clusterIPs).toHaveLength(2);
    for (const lang of ['en', 'zh-CN'] as const) {
      const page = await open(env, lang);
      const pod = await addresses(page, 'pod/default/web');
      const svc = await addresses(page, 'svc/default/web');
      // Primary family (IPv4, the first podCIDR) first, as status.podIPs and spec.clusterIPs list them.
      expect(pod.full, lang).toEqual(webPod.podIPs);
      expect(svc.full, lang).toEqual(webSvc.clusterIPs);
      // Fitted (about 0.55 here) a box holds two lines: the name and the primary address, readable.
      expect(pod.shown, lang).toBe(1);
      const node = await page.$eval('[data-testid=canvas] [data-knp-id="node/node-2"] .knp-machine-title .knp-fit', (el) => (el as HTMLElement).dataset['full']);
      for (const a of model.nodes.find((n) => n.name === 'node-2')!.ips!) expect(node, lang).toContain(a);
      const fitted = await readability(page);
      expect(fitted.small, lang).toEqual([]);
      expect(fitted.clipped, lang).toEqual([]);
      expect(fitted.alike, lang).toEqual([]);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/ipv6-cluster-${lang}.png` });
      // One zoom step in, a dual-stack Pod and Service draw both addresses, still readable and unclipped.
      for (let i = 0; i < 6 && await page.getAttribute('[data-testid=canvas]', 'data-lines') !== '3'; i++) {
        await page.click('[data-testid=canvas] .react-flow__controls-zoomin');
        await page.waitForTimeout(300);
      }
      expect(await page.getAttribute('[data-testid=canvas]', 'data-lines'), lang).toBe('3');
      await page.waitForTimeout(400);
      expect((await addresses(page, 'pod/default/web')).shown, lang).toBe(2);
      expect((await addresses(page, 'svc/default/web')).shown, lang).toBe(2);
      const near = await readability(page);
      expect(near.small, lang).toEqual([]);
      expect(near.clipped, lang).toEqual([]);
      expect(near.alike, lang).toEqual([]);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/ipv6-cluster-zoomed-${lang}.png` });
      // The object inspector lists every address whole.
      await page.click('[data-testid=canvas] .react-flow__controls-fitview');
      await page.waitForTimeout(400);
      await page.click('[data-testid=canvas] [data-knp-id="pod/default/web"]');
      const inspected = await page.textContent('[data-knp-inspect="pod/default/web"]');
      for (const a of webPod.podIPs!) expect(inspected, lang).toContain(a);
      expect(inspected, lang).toContain('ip -6 route');
      // The inspector stands over the canvas's right side, where the Services are: closed first.
      await page.click('.knp-object .knp-icon-btn');
      await page.click('[data-testid=canvas] [data-knp-id="svc/default/web"]');
      const svcText = await page.textContent('[data-knp-inspect="svc/default/web"]');
      for (const a of webSvc.clusterIPs!) expect(svcText, lang).toContain(a);
      await page.context().close();
    }
  });

  it('an ICMPv6 echo shows the IPv6 header and the ICMPv6 type in the packet inspector, labelled in each language', { timeout: 180_000 }, async () => {
    const want = { en: ['hop limit', 'next header', 'echo request (128)'], 'zh-CN': ['跳数限制', '下一个首部', '回显请求'] } as const;
    for (const lang of ['en', 'zh-CN'] as const) {
      const page = await open(env, lang);
      await ping6(page);
      const ip = await rows(page, 'IPv6');
      expect(Object.keys(ip), lang).toEqual(['ip.version', 'ip.tos', 'ip.flow', 'ip.length', 'ip.protocol', 'ip.ttl', 'ip.src', 'ip.dst']);
      expect(ip['ip.version']![1]).toBe('6');
      expect(ip['ip.protocol']![1]).toBe('ipv6-icmp (58)');
      expect(ip['ip.ttl']![1]).toBe('64');
      expect(ip['ip.dst']![1]).toBe(web6);
      expect(ip['ip.src']![1]).toBe(model.pods.find((p) => p.meta.name === 'client')!.podIPs!.find((a) => a.includes(':')));
      const icmp = await rows(page, 'ICMPv6');
      const text = [ip['ip.ttl']![0], ip['ip.protocol']![0], icmp['icmp.type']![1]].join(' | ');
      for (const w of want[lang]) expect(text, lang).toContain(w);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/ipv6-inspector-${lang}.png` });
      await page.context().close();
    }
  });
});
