/**
 * The walker's generic hook list (src/engine/stack/hooks.ts): a program attached at a device's
 * XDP / tc ingress / tc egress point decides pass, drop, rewrite or redirect, and the walker
 * applies the decision and names the hook and program in the trace.
 */
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/engine/net/packet';
import type { AttachedProgram } from '../../../src/engine/net/types';
import type { DeviceProgram, HookDecision, SockProgram } from '../../../src/engine/stack/hooks';
import { walk } from '../../../src/engine/stack/walk';
import { message } from '../../../src/engine/i18n/messages';
import { bridgeOfThree, vethPair } from './fixtures';

function prog(name: string, run: (p: Packet) => HookDecision): DeviceProgram {
  return { name, section: name, object: 'test.o', owner: 'test', run: (_env, p) => run(p) };
}

function attach(sim: ReturnType<typeof vethPair>['sim'], nsId: string, dev: string, a: AttachedProgram, programs: DeviceProgram[]): void {
  const link = sim.net.namespaces.get(nsId)!.links.find((l) => l.name === dev)!;
  (link.progs ??= []).push(a);
  sim.programs = { device: new Map(programs.map((p) => [p.name, p])), sock: new Map() };
}

describe('device hooks', () => {
  it('a pass program is named in the trace and the ping still arrives', () => {
    const { sim } = vethPair();
    attach(sim, 'host/h1#net2', 'veth2', { point: 'tc-ingress', program: 'count' }, [prog('count', () => ({ verdict: 'pass', note: message('hook.cil.toNetdev', {}) }))]);
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const hooks = t.events.filter((e) => e.type === 'hook');
    expect(hooks.length).toBeGreaterThan(0);
    expect(hooks[0]!.where.dev).toBe('veth2');
    expect(hooks[0]!.detail).toMatchObject({ hook: 'tc-ingress', program: 'count', verdict: 'pass', note: 'out to the network' });
    expect(hooks[0]!.summary).toBe('tc ingress veth2: test count: out to the network -> pass');
  });

  it('a drop at tc egress stops the packet before the driver counts it, with the reason', () => {
    const { sim } = vethPair();
    attach(sim, 'host/h1#net1', 'veth1', { point: 'tc-egress', program: 'deny' }, [prog('deny', (p) => (p.icmp ? { verdict: 'drop', reason: message('hook.shot', { program: 'deny', action: 'TC_ACT_SHOT' }) } : { verdict: 'pass' }))]);
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    expect(t.verdict).toBe('dropped');
    expect(t.reason).toContain('deny: TC_ACT_SHOT');
    expect(t.events.some((e) => e.type === 'tx' && e.packet?.icmp)).toBe(false);
    expect(sim.net.namespaces.get('host/h1#net1')!.links.find((l) => l.name === 'veth1')!.stats.txPackets).toBe(1); // the ARP only
  });

  it('XDP runs before the rx event; a drop there is never counted as received', () => {
    const { sim } = vethPair();
    attach(sim, 'host/h1#net2', 'veth2', { point: 'xdp', program: 'xdp-drop' }, [prog('xdp-drop', (p) => (p.icmp ? { verdict: 'drop', reason: message('hook.shot', { program: 'xdp-drop', action: 'XDP_DROP' }) } : { verdict: 'pass' }))]);
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    expect(t.verdict).toBe('dropped');
    const i = t.events.findIndex((e) => e.type === 'hook' && e.detail?.['verdict'] === 'drop');
    expect(t.events[i - 1]!.type).toBe('veth');
  });

  it('a rewrite changes the packet the stack goes on with', () => {
    const { sim } = vethPair();
    // tc ingress on net2 rewrites the destination of any packet to 20.1.1.2 (a toy DNAT).
    attach(sim, 'host/h1#net2', 'veth2', { point: 'tc-ingress', program: 'dnat' }, [prog('dnat', (p) => (p.ip && p.ip.dst === '20.1.1.99' ? { verdict: 'rewrite', packet: { ...p, ip: { ...p.ip, dst: '20.1.1.2' } } } : { verdict: 'pass' }))]);
    const ns1 = sim.net.namespaces.get('host/h1#net1')!;
    const veth2 = sim.net.namespaces.get('host/h1#net2')!.links.find((l) => l.name === 'veth2')!;
    ns1.neigh.push({ family: 4, ip: '20.1.1.99', dev: 'veth1', mac: veth2.mac, state: 'PERMANENT', updatedAt: 0 });
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.99', protocol: 'icmp' });
    const rw = t.events.find((e) => e.type === 'hook' && e.detail?.['verdict'] === 'rewrite');
    expect(rw?.packet?.ip?.dst).toBe('20.1.1.2');
    expect(t.responder).toBe('host/h1#net2');
  });

  it('a redirect sends the frame out of another device, whose egress hooks run too', () => {
    const { sim } = bridgeOfThree();
    // On the bridge host, frames arriving on veth1 for net3 skip the bridge: straight out of veth3.
    const h = sim.net.namespaces.get('host/h1')!;
    const veth3 = h.links.find((l) => l.name === 'veth3')!;
    (h.links.find((l) => l.name === 'veth1')!.progs ??= []).push({ point: 'tc-ingress', program: 'short' });
    (veth3.progs ??= []).push({ point: 'tc-egress', program: 'mark' });
    sim.programs = {
      device: new Map([
        ['short', prog('short', (p) => (p.ip?.dst === '20.1.1.3' ? { verdict: 'redirect', dev: 'veth3' } : { verdict: 'pass' }))],
        ['mark', prog('mark', () => ({ verdict: 'pass', note: message('hook.cil.toNetdev', {}) }))],
      ]),
      sock: new Map(),
    };
    const t = walk(sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const req = t.events.filter((e) => e.flow === 'echo-request');
    const redirectAt = req.findIndex((e) => e.type === 'hook' && e.detail?.['verdict'] === 'redirect');
    expect(redirectAt).toBeGreaterThan(-1);
    expect(req[redirectAt + 1]).toMatchObject({ type: 'hook', detail: { program: 'mark', hook: 'tc-egress' } });
    expect(req.slice(redirectAt).some((e) => e.type === 'bridge-forward')).toBe(false);
  });

  it('a socket program sends connect() elsewhere: the first packet already carries the new address', () => {
    const { sim } = vethPair();
    const sockProg: SockProgram = { name: 'lb', section: 'cgroup/connect4', object: 'test.o', owner: 'test', connect: (_env, c) => (c.dst === '10.96.0.1' ? { dst: '20.1.1.2', dport: c.dport, note: message('hook.cil.sockRecvmsg', { service: 'default/lb' }) } : null) };
    sim.programs = { device: new Map(), sock: new Map([['lb', sockProg]]) };
    sim.net.namespaces.get('host/h1#net1')!.sockProgs = ['lb'];
    const t = walk(sim, { from: 'host/h1#net1', to: 'udp://10.96.0.1:53' });
    const h = t.events.find((e) => e.type === 'hook');
    expect(h?.detail).toMatchObject({ hook: 'sock-connect', from: '10.96.0.1:53', to: '20.1.1.2:53' });
    const send = t.events.find((e) => e.type === 'send');
    expect(send?.packet?.ip?.dst).toBe('20.1.1.2');
  });
});
