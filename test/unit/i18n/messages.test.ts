import { describe, expect, it } from 'vitest';
import { catalog, ENGINE_LANGS, langFromEnv, MESSAGES, renderMessage, templateParams, templatesOf } from '../../../src/engine/i18n/messages';

describe('engine message catalog', () => {
  const entries = Object.entries(MESSAGES) as [keyof typeof MESSAGES, (typeof MESSAGES)[keyof typeof MESSAGES]][];

  it('every code has a non-empty template in both languages', () => {
    for (const [code] of entries) for (const lang of ENGINE_LANGS) for (const t of templatesOf(code, lang)) expect(t.trim().length, `${code} ${lang}`).toBeGreaterThan(0);
    expect(Object.keys(catalog('zh-CN')).sort()).toEqual(Object.keys(catalog('en')).sort());
  });

  it('templates use exactly the parameters their code provides, the same in both languages', () => {
    for (const [code, e] of entries) {
      for (const lang of ENGINE_LANGS) {
        // A plural entry's `count` chooses the form; a form may leave it unsaid.
        for (const t of templatesOf(code, lang)) expect(new Set([...templateParams(t), ...(typeof e[lang] === 'string' ? [] : ['count'])]), `${code} ${lang}`).toEqual(new Set(e.params));
      }
    }
  });

  it('the Chinese templates are Chinese', () => {
    for (const [code, e] of entries) {
      if (code === 'verdict.other') continue; // the reason itself, nothing of ours around it
      for (const t of templatesOf(code, 'zh-CN')) expect(t, code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('renders i18next-style {{param}} interpolation', () => {
    expect(renderMessage('story.dnat', { who: 'node-2', chain: 'KUBE-SEP-X', before: '10.96.0.10:80', after: '10.244.1.3:80' }, 'en'))
      .toBe('node-2: KUBE-SEP-X rewrites the destination 10.96.0.10:80 to 10.244.1.3:80 (DNAT)');
    expect(renderMessage('verdict.icmp.port', { from: '10.0.0.1' }, 'zh-CN')).toBe('端口不可达（ICMP 来自 10.0.0.1）');
  });

  it('takes the language from LC_ALL, LC_MESSAGES, LANG, else English', () => {
    expect(langFromEnv({})).toBe('en');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(langFromEnv({ LC_MESSAGES: 'zh_TW', LANG: 'en_US' })).toBe('zh-CN');
  });
});

describe('engine message codes as i18next keys', () => {
  it('no code is the parent of another (i18next nests "a.b" under "a")', () => {
    const codes = Object.keys(MESSAGES);
    for (const a of codes) for (const b of codes) expect(b.startsWith(`${a}.`), `${a} / ${b}`).toBe(false);
  });

  it('plural entries become code_one and code_other in both languages', () => {
    expect(catalog('en')['event.nf.end_one']).toBe('{{where}}: {{verdict}}{{lookups}} ({{count}} rule evaluated)');
    expect(catalog('en')['event.nf.end_other']).toBe('{{where}}: {{verdict}}{{lookups}} ({{count}} rules evaluated)');
    expect(catalog('zh-CN')['event.nf.end_one']).toBe(catalog('zh-CN')['event.nf.end_other']);
    expect(renderMessage('event.nf.end', { where: 'filter FORWARD', verdict: 'ACCEPT', lookups: '', count: 1 }, 'en')).toBe('filter FORWARD: ACCEPT (1 rule evaluated)');
    expect(renderMessage('event.nf.end', { where: 'filter FORWARD', verdict: 'ACCEPT', lookups: '', count: 3 }, 'zh-CN')).toBe('filter FORWARD：ACCEPT（检查了 3 条规则）');
  });

  it('joins a list parameter as each language writes a list', () => {
    const p = { hook: 'PREROUTING', writer: 'kube-proxy', machine: 'node-1', error: 'line 3 failed', tables: ['filter', 'nat'], count: 2 };
    expect(renderMessage('event.nf.restoreFailed', p, 'en')).toBe('PREROUTING: iptables-restore by kube-proxy failed on node-1 (line 3 failed); the filter and nat tables were not loaded');
    expect(renderMessage('event.nf.restoreFailed', p, 'zh-CN')).toContain('（filter、nat）');
  });
});
