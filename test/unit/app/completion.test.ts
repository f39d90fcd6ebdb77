import { describe, expect, it } from 'vitest';
import { arrange, documentIsEmpty } from '../../../src/app/editor/completion';
import { defaultSnippets } from '../../../src/app/editor/snippets';

const snippets = defaultSnippets('en').map((s) => String(s['label']));

describe('editor completion', () => {
  it('offers each key once, and the ready-made documents first in an empty document', () => {
    const noisy = [
      ...Array.from({ length: 30 }, () => [{ label: 'apiVersion' }, { label: 'kind' }]).flat(),
      ...snippets.slice().reverse().map((label) => ({ label: { label } })),
      { label: 'metadata' },
    ];
    const out = arrange(noisy, { emptyDoc: true, snippets });
    const labels = out.map((p) => (typeof p.label === 'string' ? p.label : p.label.label));
    expect(labels.filter((l) => l === 'apiVersion')).toHaveLength(1);
    expect(labels.filter((l) => l === 'kind')).toHaveLength(1);
    expect(labels.slice(0, snippets.length)).toEqual(snippets);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('leaves the order alone inside a document that has content', () => {
    const out = arrange([{ label: 'spec' }, { label: 'metadata' }, { label: 'spec' }], { emptyDoc: false, snippets });
    expect(out.map((p) => p.label)).toEqual(['spec', 'metadata']);
  });

  it('knows an empty document between --- separators', () => {
    const text = 'apiVersion: v1\nkind: Pod\n---\n\n---\nkind: Service\n';
    expect(documentIsEmpty(text, 4)).toBe(true);
    expect(documentIsEmpty(text, 1)).toBe(false);
    expect(documentIsEmpty(text, 6)).toBe(false);
    expect(documentIsEmpty('', 1)).toBe(true);
    expect(documentIsEmpty('# a comment\nap', 2)).toBe(true);
  });
});
