/**
 * The user-space tunnel seam (stack/userspace.ts): the stack does the kernel side of a TUN read
 * by a process; what the process decides comes from the registry on the Sim, by the TUN's owner.
 * Two nodes joined by flannel0 TUNs (the fixtures' udp backend).
 */
import { describe, expect, it } from 'vitest';
import { message } from '../../../src/engine/i18n/messages';
import { walk } from '../../../src/engine/stack/walk';
import type { UserspaceProcess } from '../../../src/engine/stack/userspace';
import { twoNodes } from './fixtures';

describe('user-space tunnels', () => {
  it('the process registered under the TUN\'s owner carries the packet: flanneld by default', () => {
    const { sim } = twoNodes('udp');
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.2', protocol: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const up = t.events.filter((e) => e.type === 'userspace').map((e) => `${e.where.ns} ${(e.detail as { process: string }).process}`);
    // node-1 reads the request from flannel0, node-2 receives it on 8285; and back.
    expect(up.slice(0, 2)).toEqual(['node/node-1 flanneld', 'node/node-2 flanneld']);
  });

  it('with no process registered for the owner, the TUN\'s packets go nowhere and the datagram reaches no tunnel', () => {
    const { sim } = twoNodes('udp');
    sim.userspace = new Map();
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.2', protocol: 'icmp' });
    expect(t.verdict).not.toBe('delivered');
    expect(t.events.filter((e) => e.type === 'drop' && e.summary.includes('flanneld does not forward TUN packets')).map((e) => e.where.ns)).toEqual(['node/node-1']);
    expect(t.events.some((e) => e.type === 'encap')).toBe(false);
  });

  it('another process under that name decides the peer and port: the stack builds the outer packet it asks for', () => {
    const { sim } = twoNodes('udp');
    const seen: string[] = [];
    // Sends everything to node-2 on 8285 (the port node-2's flannel0 names), tracing with its own line.
    const relay: UserspaceProcess = {
      name: 'flanneld',
      send: (env, dev, pkt) => {
        seen.push(`${env.ns.id} ${dev.name} ${pkt.ip!.dst}`);
        return env.ns.id === 'node/node-1'
          ? { verdict: 'send', datagrams: [{ peer: '192.168.1.12', sport: 40000, dport: 8285, message: message('event.psock.wrap', { owner: 'relay', port: 8285, peer: '192.168.1.12' }), label: 'relay' }] }
          : { verdict: 'drop', reason: 'relay: node-2 sends nothing back' };
      },
      receive: (_env, dev) => ({ received: message('event.psock.receive', { owner: 'relay', port: 8285, peer: '192.168.1.11' }), injected: message('event.psock.inject', { owner: 'relay', dev: dev.name }) }),
    };
    sim.userspace = new Map([['flanneld', relay]]);
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.2', protocol: 'icmp' });
    const encap = t.events.find((e) => e.type === 'encap');
    expect(encap?.summary).toBe('relay wraps the frame in UDP 8285 to 192.168.1.12: user space -> kernel');
    expect(encap?.detail).toEqual({ kind: 'udp', label: 'relay', peer: '192.168.1.12' });
    expect(t.events.some((e) => e.type === 'tx' && e.summary.includes('192.168.1.11:40000 > 192.168.1.12:8285'))).toBe(true);
    // The request reached a-2 on node-2; the echo reply's way back is the relay's drop.
    expect(seen).toEqual(['node/node-1 flannel0 10.244.2.2', 'node/node-2 flannel0 10.244.1.2']);
    expect(t.events.some((e) => e.type === 'drop' && e.summary.includes('relay: node-2 sends nothing back'))).toBe(true);
  });
});
