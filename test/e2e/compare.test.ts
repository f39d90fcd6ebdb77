/**
 * In Chromium against the production build: the compare view with one setting changed (the
 * same YAML and journal under kube-proxy iptables vs IPVS), the SVG export, and `kubectl edit`
 * opening the object in the editor where saving applies it; a link that carries a lesson or a
 * challenge opens it at its step with its progress.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../src/engine';
import { expandVariables } from '../../src/engine/scenario/variables';
import { engineIdle, hasChromium, openApp, paste, runInTerminal } from './harness';
import { browserSuite } from './suite';

describe.runIf(hasChromium)('compare under a setting, SVG export, kubectl edit, lesson links', () => {
  const env = browserSuite();

  it('compare: the same YAML under kube-proxy IPVS shows rule diffs and the same Send delivered in both', async () => {
    const page = await openApp(env.browser, env.site.url);
    const form = page.locator('[data-testid=send-packet]');
    await form.locator('select[name=from]').selectOption('pod/default/client');
    await form.locator('input[name=to]').fill('my-nginx:80');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=event-list] [data-verdict]').waitFor({ timeout: 20_000 });
    await page.click('[data-testid=compare-button]');
    const view = page.locator('[data-testid=compare-view]');
    await view.locator('select[name=compare-mode]').selectOption('setting');
    await view.locator('select[name=compare-setting]').selectOption('kubeProxyMode');
    expect(await view.locator('[data-testid=compare-setting-current]').innerText()).toBe('iptables');
    await view.locator('select[name=compare-value]').selectOption('ipvs');
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid=compare-view]');
      return v?.getAttribute('data-busy') === 'false' && v.getAttribute('data-changed') === 'true' && v.querySelector('[data-testid=compare-trace]');
    }, undefined, { timeout: 30_000 });
    // kube-proxy's rules differ on every node (IPVS keeps KUBE-SERVICES for its ipset matches only).
    const sections = await view.locator('section[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(sections).toContain('node/node-1: iptables-save');
    const removed = await view.locator('section[data-section="node/node-1: iptables-save"] .knp-diff .del').allInnerTexts();
    expect(removed.some((l) => /KUBE-SVC-/.test(l))).toBe(true);
    // The same Send on both sides, delivered by iptables DNAT on one and by IPVS on the other.
    expect(await view.locator('[data-testid=compare-trace] .knp-verdict').allInnerTexts()).toEqual(['delivered', 'delivered']);
    await page.context().close();
  });

  it('SVG export: a file that parses as XML and shows the cluster\'s node names', async () => {
    const page = await openApp(env.browser, env.site.url);
    const dir = mkdtempSync(join(tmpdir(), 'knp-svg-e2e-'));
    try {
      await page.click('[data-testid=export-menu]');
      // html-to-image clones the whole canvas with its styles: slow on a busy machine.
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 150_000 }), page.click('[data-testid=export-svg]', { noWaitAfter: true })]);
      expect(dl.suggestedFilename()).toBe('playground.svg');
      const path = join(dir, dl.suggestedFilename());
      await dl.saveAs(path);
      const text = readFileSync(path, 'utf8');
      expect(text).toMatch(/^<svg[\s>]/);
      const parsed = await page.evaluate((t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName, text: doc.documentElement.textContent ?? '' };
      }, text);
      expect(parsed.error).toBe(0);
      expect(parsed.root).toBe('svg');
      expect(parsed.text).toContain('node-1');
      expect(parsed.text).toContain('node-2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await page.context().close();
    }
  }, 240_000);

  it('kubectl edit svc my-nginx opens it in the editor; Save applies it, Cancel leaves it', async () => {
    const page = await openApp(env.browser, env.site.url);
    const out = await runInTerminal(page, 'kubectl edit svc my-nginx');
    expect(out).toContain('Opened service/my-nginx in the editor');
    const editor = page.locator('[data-testid=editor]');
    await page.waitForSelector('[data-testid=editor][data-editing="Service/my-nginx"]', { timeout: 10_000 });
    const lines = () => editor.locator('.view-lines').innerText().then((s) => s.replace(/\u00a0/g, ' '));
    expect(await lines()).toMatch(/kind: Service[\s\S]*name: my-nginx/);
    expect(await page.locator('[data-testid=edit-object]').innerText()).toContain('kubectl edit service/my-nginx');
    // The learner changes the object (here: the whole text, with a label added) and saves.
    await page.click('[data-testid=editor] .view-lines');
    await page.keyboard.press('Control+A');
    await paste(page, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-nginx\n  namespace: default\n  labels: {run: my-nginx, edited: "yes"}\nspec:\n  selector: {run: my-nginx}\n  ports:\n    - {port: 80, targetPort: 80, protocol: TCP}\n');
    await page.click('[data-testid=edit-save]');
    await page.waitForSelector('[data-testid=edit-object]', { state: 'detached', timeout: 10_000 });
    await engineIdle(page);
    expect(await runInTerminal(page, 'kubectl get svc my-nginx --show-labels')).toMatch(/my-nginx +ClusterIP[\s\S]*edited=yes,run=my-nginx/);
    // The scenario is back in the editor, unchanged by the edit (the change is a terminal-side apply).
    expect(await lines()).toContain('kind: Cluster');
    // Cancel: nothing applied.
    await runInTerminal(page, 'kubectl edit svc my-nginx-nodeport');
    await page.waitForSelector('[data-testid=editor][data-editing="Service/my-nginx-nodeport"]', { timeout: 10_000 });
    await page.click('[data-testid=edit-cancel]');
    await page.waitForSelector('[data-testid=edit-object]', { state: 'detached', timeout: 10_000 });
    expect(await lines()).toContain('kind: Cluster');
    await page.context().close();
  });

  it('a link made with a lesson open opens it at that step with that progress; a challenge link with its hints', async () => {
    const page = await openApp(env.browser, env.site.url);
    const lessonYaml = readFileSync('content/lessons/10-clusterip-iptables/scenario.yaml', 'utf8');
    const frag = encodeFragment({ yaml: lessonYaml, journal: [], learn: { kind: 'lesson', id: '10-clusterip-iptables', step: 2, done: ['read-rules', 'dnat'] } });
    await page.goto('about:blank');
    await page.goto(`${env.site.url}#${frag}`);
    const panel = page.locator('[data-testid=lesson-panel]');
    await panel.locator('[data-testid=lesson-step][data-current=true]').waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-lesson="10-clusterip-iptables"][data-step="2"]').count()).toBe(1);
    expect(await panel.locator('[data-testid=lesson-step][data-done=true]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')))).toEqual(['read-rules', 'dnat']);
    expect(await panel.locator('[data-testid=lesson-step][data-current=true]').getAttribute('data-step-id')).toBe('predict-chain');

    const raw = readFileSync('content/challenges/nodeport-range.yaml', 'utf8');
    const { text, values } = expandVariables('content/challenges/nodeport-range.yaml', raw, 1);
    const cfrag = encodeFragment({ yaml: text, journal: [], learn: { kind: 'challenge', name: 'nodeport-range', seed: 1, variables: values, hints: 1 } });
    await page.goto('about:blank');
    await page.goto(`${env.site.url}#${cfrag}`);
    await panel.locator('[data-challenge="nodeport-range"]').waitFor({ timeout: 30_000 });
    await panel.locator('[data-testid=challenge-goal]').first().waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-testid=challenge-hint]').count()).toBe(1);
    await page.context().close();
  });
});
