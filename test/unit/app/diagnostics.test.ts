/**
 * Diagnostics in both languages: every code the engine documents or emits has a title in
 * zh-CN and en, and the warnings that carry params read as whole sentences in either language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { renderDiagnostic } from '../../../src/app/editor/diagnostics';
import { initI18n } from '../../../src/app/i18n';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SENTENCES, diagnostics } from '../../../src/app/i18n/features/diagnostics';
import type { Tree } from '../../../src/app/i18n/features';

const root = new URL('../../../', import.meta.url).pathname;
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** The codes the format doc's table lists. */
function documented(): string[] {
  const doc = read('docs/scenario-format.md').split('\n## Diagnostics')[1]!.split('\n## ')[0]!;
  return doc.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!));
}

/** The codes the engine emits for every scenario and reject case in the repository. */
function emitted(): string[] {
  const files = [
    ...readdirSync(join(root, 'content/scenarios')).map((f) => `content/scenarios/${f}`),
    ...readdirSync(join(root, 'test/bad-input/cases')).map((f) => `test/bad-input/cases/${f}`),
  ].filter((f) => f.endsWith('.yaml'));
  return files.flatMap((f) => buildSim(read(f), { file: f }).diagnostics.map((d) => d.code));
}

const titleOf = (t: Tree, code: string): unknown => ((t['diag'] as Tree)[code] as Tree | undefined)?.['title'];

beforeAll(() => { initI18n('en'); });

describe('diagnostic catalog', () => {
  it('every documented or emitted code has a title in both languages', () => {
    const codes = [...new Set([...documented(), ...emitted()])].sort();
    expect(codes.length).toBeGreaterThan(60);
    const missing = codes.filter((c) => typeof titleOf(diagnostics.en, c) !== 'string' || typeof titleOf(diagnostics['zh-CN'], c) !== 'string');
    expect(missing).toEqual([]);
  });

  it('documents every code the catalog knows (the table in docs/scenario-format.md stays true)', () => {
    const doc = new Set(documented());
    expect(DIAGNOSTIC_CODES.filter((c) => !doc.has(c))).toEqual([]);
  });

  it('renders a Service with no endpoints as a sentence in zh-CN and en, from the params', () => {
    const { diagnostics: ds } = buildSim(read('test/bad-input/cases/selector-no-match.yaml'));
    const d = ds.find((x) => x.code === 'selector-no-match')!;
    expect(d.subject).toMatch(/^svc\//);
    const service = String(d.params!['service']);
    const zh = renderDiagnostic(d, 'zh-CN');
    expect(zh.message).toContain(service);
    expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.hint).toMatch(/[\u4e00-\u9fff]/);
    expect(renderDiagnostic(d, 'en').message).toBe(d.message);
  });

  it('a targetPort nothing listens on is a warning about that Service, in both languages', () => {
    const { diagnostics: ds } = buildSim(read('test/bad-input/cases/target-port-not-listening.yaml'));
    const d = ds.find((x) => x.code === 'target-port-not-listening')!;
    expect(d).toMatchObject({ severity: 'warning', subject: 'svc/default/web', params: { targetPort: '8080', protocol: 'TCP' } });
    expect(renderDiagnostic(d, 'zh-CN').message).toContain('8080/TCP');
    expect(renderDiagnostic(d, 'en').message).toBe(d.message);
  });

  it('a code without params falls back to its title with the engine sentence in zh-CN, never a blank', () => {
    const { diagnostics: ds } = buildSim(read('test/bad-input/cases/duplicate-name.yaml'));
    const { params: _, ...d } = ds[0]!;
    const zh = renderDiagnostic(d, 'zh-CN');
    expect(zh.message.startsWith(String(titleOf(diagnostics['zh-CN'], d.code)))).toBe(true);
    expect(zh.message).toContain(d.message);
  });
});

describe('diagnostic sentences', () => {
  const placeholders = (s: string): string[] => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

  it('each sentence, hint and short label uses the same placeholders in zh-CN as in en, and the Chinese is Chinese', () => {
    for (const [code, en, zh] of DIAGNOSTIC_SENTENCES) {
      for (const k of ['message', 'hint', 'short'] as const) {
        expect(placeholders(zh[k]), `${code}.${k}`).toEqual(placeholders(en[k]));
        expect(zh[k], `${code}.${k}`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('every code in the catalog has a whole sentence, hint and label in both languages (a new code needs one)', () => {
    const withSentence = new Set(DIAGNOSTIC_SENTENCES.map(([code]) => code));
    expect(DIAGNOSTIC_CODES.filter((c) => !withSentence.has(c))).toEqual([]);
    expect(DIAGNOSTIC_SENTENCES.filter(([c]) => !DIAGNOSTIC_CODES.includes(c)).map(([c]) => c)).toEqual([]);
  });

  it('every diagnostic the engine emits carries params that fill its sentence, in zh-CN a Chinese sentence', () => {
    const files = [
      ...readdirSync(join(root, 'content/scenarios')).map((f) => `content/scenarios/${f}`),
      ...readdirSync(join(root, 'test/bad-input/cases')).map((f) => `test/bad-input/cases/${f}`),
    ].filter((f) => f.endsWith('.yaml'));
    const sentences = new Map(DIAGNOSTIC_SENTENCES.map(([code, en]) => [code, en]));
    for (const f of files) {
      for (const d of buildSim(read(f), { file: f }).diagnostics) {
        expect(d.params, `${f}: ${d.code} carries no params`).toBeDefined();
        const en = sentences.get(d.code);
        expect(en, `${f}: ${d.code} has no sentence`).toBeDefined();
        for (const k of ['message', 'hint'] as const) for (const p of placeholders(en![k])) expect(d.params, `${f}: ${d.code} lacks {{${p}}}`).toHaveProperty(p);
        const zh = renderDiagnostic(d, 'zh-CN');
        expect(zh.message, `${f}: ${d.code}`).not.toMatch(/\{\{/);
        expect(zh.message, `${f}: ${d.code}`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('policy-not-enforced: the hint names the plugins that enforce NetworkPolicy (from the registry) in both languages', () => {
    const { diagnostics: ds } = buildSim(`apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  network: {plugin: flannel}\n  nodes: [{name: node-1, ip: 192.168.1.11}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`);
    const d = ds.find((x) => x.code === 'policy-not-enforced')!;
    for (const lang of ['en', 'zh-CN'] as const) {
      const hint = renderDiagnostic(d, lang).hint!;
      for (const id of ['calico', 'canal', 'cilium', 'kube-router', 'weave']) expect(hint, lang).toContain(id);
      expect(hint, lang).not.toContain('flannel');
    }
    expect(renderDiagnostic(d, 'zh-CN').hint).toMatch(/[\u4e00-\u9fff]/);
  });

  it('an unknown field reads as a Chinese sentence naming the field and the kind', () => {
    initI18n('zh-CN');
    const { diagnostics: ds } = buildSim('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  contianers: [{name: c, image: nginx}]\n');
    const d = ds.find((x) => x.code === 'unknown-field')!;
    expect(renderDiagnostic(d, 'zh-CN').message).toBe('Pod 里没有 "spec.contianers" 这个字段');
    expect(renderDiagnostic(d, 'en').message).toBe(d.message);
    initI18n('en');
  });
});

describe('knp check --lang', () => {
  it('prints the same zh-CN sentences as the UI, and the engine\'s English unchanged', async () => {
    const { runKnp } = await import('../../helpers/cli');
    const f = 'test/bad-input/cases/selector-no-match.yaml';
    const files = { [f]: read(f) };
    const d = buildSim(read(f), { file: f }).diagnostics.find((x) => x.code === 'selector-no-match')!;
    const zh = await runKnp(['check', f, '--lang', 'zh-CN'], { files });
    expect(zh.stdout).toContain(`${f}:${d.line}:${d.col}: ${d.severity} selector-no-match: ${renderDiagnostic(d, 'zh-CN').message}`);
    expect((await runKnp(['check', f], { files, env: { LANG: 'zh_CN.UTF-8' } })).stdout).toBe(zh.stdout);
    const en = await runKnp(['check', f, '--lang', 'en'], { files });
    expect(en.stdout).toContain(`selector-no-match: ${d.message}`);
    expect((await runKnp(['check', f, '--lang', 'fr'], { files })).stderr).toBe('knp: --lang must be zh-CN or en, not "fr"\n');
  });
});
