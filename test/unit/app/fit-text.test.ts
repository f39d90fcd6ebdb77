/** Canvas labels cut in the middle (FitText.tsx): the end that tells two names apart stays. */
import { describe, expect, it } from 'vitest';
import { fitText } from '../../../src/app/canvas/FitText';

// A monospace stand-in for measureText: 7 px a character.
const w = (s: string): number => [...s].length * 7;

describe('fitText', () => {
  it('leaves a label that fits as it is', () => {
    expect(fitText('eth0', 28, w)).toBe('eth0');
    expect(fitText('cilium_host', 77, w)).toBe('cilium_host');
  });

  it('cuts in the middle, keeping more of the end, and fits the room', () => {
    const s = fitText('my-nginx-547b884f79-zzkg6', 70, w);
    expect(s).toBe('my-…-zzkg6');
    expect(w(s)).toBeLessThanOrEqual(70);
  });

  it('two names a plain end-cut would make alike stay apart', () => {
    for (const group of [
      ['my-nginx-547b884f79-zzkg6', 'my-nginx-547b884f79-qt5jk'],
      ['coredns-6cb768b7b9-gz79j', 'coredns-6cb768b7b9-5jsh7'],
      ['cilium_host', 'cilium_net', 'cilium_vxlan'],
      ['kube-bridge', 'kube-dummy-if'],
      ['10.96.0.1', '10.96.0.10'],
    ]) {
      for (const room of [42, 56, 63, 70]) {
        const cut = group.map((n) => fitText(n, room, w));
        expect(new Set(cut).size, `${group.join(' ')} in ${room}px: ${cut.join(' ')}`).toBe(group.length);
      }
    }
  });

  it('a subtitle is cut at its end; no room at all leaves the ellipsis alone', () => {
    expect(fitText('192.168.1.11 · podCIDR 10.244.0.0/24', 98, w, 'start')).toBe('192.168.1.11…');
    expect(fitText('flannel.1', 3, w)).toBe('…');
  });
});
