import { describe, expect, it } from 'vitest';
import { humanDuration, tabwrite, table } from '../../../src/engine/shell/kubectlFormat';
import { jsonpath } from '../../../src/engine/shell/kubectlJsonpath';
import { parseKubectlArgs } from '../../../src/engine/shell/kubectl';

describe('kubectl text layout', () => {
  it('HumanDuration as apimachinery prints it', () => {
    expect([0, 59, 119, 120, 150, 600, 3599, 7200, 8 * 3600, 3 * 86400 + 3600, 10 * 86400, 800 * 86400].map(humanDuration))
      .toEqual(['0s', '59s', '119s', '2m', '2m30s', '10m', '59m', '120m', '8h', '3d1h', '10d', '2y70d']);
  });

  it('get tables: columns padded by 3 with a minimum width of 6, last column unpadded', () => {
    expect(table([['NAME', 'AGE', 'X'], ['a', '5m', 'yes']])).toBe('NAME   AGE   X\na      5m    yes\n');
  });

  it('tabwriter aligns only runs of lines that share a column', () => {
    expect(tabwrite('Name:\tx\nLong name:\ty\nSection:\nA:\tz', 0, 2)).toBe('Name:       x\nLong name:  y\nSection:\nA:  z');
  });
});

describe('kubectl flags', () => {
  it('parses -n, -A, -o, -l, --show-labels and the -- split', () => {
    const f = parseKubectlArgs(['pods', '-nkube-system', '-o', 'wide', '-l', 'app=x', '--show-labels', '--', 'sh'], 'default');
    expect([f.namespace, f.output, f.showLabels, f.positional, f.rest]).toEqual(['kube-system', 'wide', true, ['pods'], ['sh']]);
    expect(f.selector).toEqual({ matchLabels: { app: 'x' }, matchExpressions: [] });
    expect(parseKubectlArgs(['-A'], 'default').allNamespaces).toBe(true);
    expect(parseKubectlArgs(['--namespace=web'], 'default').namespace).toBe('web');
    expect(parseKubectlArgs(['-n'], 'default').error).toContain('flag needs an argument');
  });
});

describe('kubectl jsonpath', () => {
  const data = { items: [{ metadata: { name: 'a', labels: { app: 'x' } }, status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } }, { metadata: { name: 'b' }, status: { podIP: '10.0.0.2', conditions: [] } }] };
  const jp = (t: string) => { const r = jsonpath(t, data); return 'text' in r ? r.text : r.error; };
  it('selects fields, indexes, wildcards and filters', () => {
    expect(jp('{.items[*].status.podIP}')).toBe('10.0.0.1 10.0.0.2');
    expect(jp('{.items[0].metadata.name}')).toBe('a');
    expect(jp('{.items[-1].metadata.name}')).toBe('b');
    expect(jp("{.items[0].metadata.labels['app']}")).toBe('x');
    expect(jp('{.items[0].status.conditions[?(@.type=="Ready")].status}')).toBe('True');
  });
  it('ranges with literals', () => {
    expect(jp('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}')).toBe('a\t10.0.0.1\nb\t10.0.0.2\n');
  });
  it('reports a broken template', () => {
    expect(jp('{.items[*}')).toMatch(/^error: error parsing jsonpath/);
  });
});
