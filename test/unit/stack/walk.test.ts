import { describe, expect, it } from 'vitest';
import { walk } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';
import { vethPair, bridgeOfThree, twoNodes } from './fixtures';

describe('walk over a veth pair', () => {
  it('pings across and learns the neighbour', () => {
    const { sim } = vethPair();
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp', count: 3 });
    console.log(formatTrace(t));
    expect(t.verdict).toBe('delivered');
  });
  it('bridge', () => {
    const { sim } = bridgeOfThree();
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    console.log(formatTrace(t));
    expect(t.verdict).toBe('delivered');
  });
  it('vxlan http', () => {
    const { sim } = twoNodes('vxlan');
    const t = walk(sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' });
    console.log(formatTrace(t));
    expect(t.verdict).toBe('delivered');
  });
});
