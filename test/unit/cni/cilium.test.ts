/**
 * Cilium as a plugin: cilium-dbg's views of the agent's maps, the devices and programs it puts on
 * a node, kube-proxy switched off by kubeProxyReplacement, and policy by identity.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import { walk, walkDetailed } from '../../../src/engine/stack/walk';
import type { Sim } from '../../../src/engine/sim';

const SCENARIO = readFileSync(new URL('../../../content/scenarios/cilium.yaml', import.meta.url), 'utf8');

function sim(text = SCENARIO): Sim {
  const { sim: s, diagnostics } = buildSim(text, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual([]);
  return s;
}
const node1 = { kind: 'node', name: 'node-1' } as const;

describe('cilium-dbg', () => {
  it('service list: every ClusterIP port with its backends, and the NodePort frontends under kubeProxyReplacement', () => {
    const s = sim();
    const out = runLine(s, node1, 'cilium-dbg service list');
    expect(out.exitCode).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+Frontend\s+Service Type\s+Backend$/);
    const svc = s.model.services.find((x) => x.meta.name === 'my-nginx')!;
    const row = lines.findIndex((l) => l.includes(`${svc.clusterIP}:80/TCP`));
    expect(lines[row]).toMatch(/ClusterIP\s+1 => 10\.244\.\d+\.\d+:80\/TCP \(active\)$/);
    expect(lines[row + 1]).toMatch(/^\s+2 => 10\.244\.\d+\.\d+:80\/TCP \(active\)$/);
    expect(out.stdout).toContain('192.168.1.11:30080/TCP');
    expect(runLine(s, node1, 'cilium service list').stdout).toBe(out.stdout);
  });

  it('bpf lb list: a slot 0 master entry per frontend and one slot per backend', () => {
    const s = sim();
    const out = runLine(s, node1, 'cilium-dbg bpf lb list').stdout;
    const svc = s.model.services.find((x) => x.meta.name === 'my-nginx')!;
    expect(out).toMatch(new RegExp(`${svc.clusterIP!.replace(/\./g, '\\.')}:80/TCP \\(0\\)\\s+0\\.0\\.0\\.0:0 \\(\\d+\\) \\(0\\) \\[ClusterIP, non-routable\\]`));
    expect(out).toMatch(new RegExp(`${svc.clusterIP!.replace(/\./g, '\\.')}:80/TCP \\(2\\)\\s+10\\.244\\.`));
  });

  it('endpoint list: the node\'s endpoints with their identity, labels and policy enforcement', () => {
    const s = sim();
    const out = runLine(s, node1, 'cilium-dbg endpoint list').stdout;
    expect(out.split('\n')[1]).toMatch(/^\s+ENFORCEMENT\s+ENFORCEMENT/);
    expect(out).toContain('reserved:host');
    const client = s.model.pods.find((p) => p.meta.name === 'client')!;
    const line = out.split('\n').find((l) => l.includes(client.podIP!))!;
    expect(line).toMatch(/^\d+\s+Disabled\s+Disabled\s+\d+\s+k8s:app=client\s+10\.244\./);
    // nginx is selected by an ingress policy: enforcement Enabled for ingress only.
    const nginx = s.model.pods.find((p) => p.meta.labels['run'] === 'my-nginx' && p.nodeName === 'node-1')!;
    expect(out.split('\n').find((l) => l.includes(nginx.podIP!))).toMatch(/^\d+\s+Enabled\s+Disabled\s+/);
    // Only node-1's endpoints.
    const intruder = s.model.pods.find((p) => p.meta.name === 'intruder')!;
    expect(out).not.toContain(intruder.podIP!);
  });

  it('status names the routing mode and kubeProxyReplacement', () => {
    const out = runLine(sim(), node1, 'cilium-dbg status').stdout;
    expect(out).toMatch(/^KubeProxyReplacement:\s+True\s+\[eth0\s+192\.168\.1\.11 \(Direct Routing\)\]$/m);
    expect(out).toMatch(/^Routing:\s+Network: Tunnel \[vxlan\]\s+Host: Legacy$/m);
    const native = runLine(sim(SCENARIO.replace('backend: vxlan', 'backend: native')), node1, 'cilium-dbg status').stdout;
    expect(native).toMatch(/^Routing:\s+Network: Native/m);
  });

  it('inside a Pod the agent is out of reach; an unknown verb fails; flannel has no cilium-dbg', () => {
    const s = sim();
    expect(runLine(s, { kind: 'pod', namespace: 'default', name: 'client' }, 'cilium-dbg status').exitCode).toBe(1);
    const bad = runLine(s, node1, 'cilium-dbg frobnicate');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('unknown command');
    const flannel = buildSim(SCENARIO.replace('plugin: cilium, backend: vxlan, mtu: 1500, kubeProxyReplacement: true', 'plugin: flannel'), { seed: 1 }).sim;
    expect(runLine(flannel, node1, 'cilium-dbg status').stderr).toContain('command not found');
  });
});

describe('the cilium datapath', () => {
  it('puts lxc veths (no bridge), cilium_host, cilium_net and cilium_vxlan on a node, with programs attached', () => {
    const s = sim();
    const ns = s.net.namespaces.get('node/node-1')!;
    const names = ns.links.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(['cilium_host', 'cilium_net', 'cilium_vxlan']));
    expect(ns.links.some((l) => l.kind === 'bridge')).toBe(false);
    const lxc = ns.links.filter((l) => /^lxc[0-9a-f]{12}$/.test(l.name));
    expect(lxc.length).toBeGreaterThan(0);
    expect(lxc[0]!.progs).toEqual([{ point: 'tc-ingress', program: 'cilium/from-container' }, { point: 'tc-egress', program: 'cilium/to-container' }]);
    expect(ns.links.find((l) => l.name === 'cilium_vxlan')!.vxlan).toMatchObject({ external: true, port: 8472 });
    expect(runLine(s, node1, 'ip route').stdout).toMatch(/^10\.244\.1\.0\/24 via 10\.244\.0\.1 dev cilium_host/m);
  });

  it('kubeProxyReplacement: no KUBE-SERVICES chain on the node; without it kube-proxy\'s chains are back', () => {
    expect(runLine(sim(), node1, 'iptables-save -t nat').stdout).not.toContain('KUBE-SERVICES');
    const plain = sim(SCENARIO.replace(', kubeProxyReplacement: true', ''));
    expect(runLine(plain, node1, 'iptables-save -t nat').stdout).toContain('KUBE-SERVICES');
  });

  it('policy by identity: the client reaches nginx, the intruder is dropped at to-container with both identities named', () => {
    const s = sim();
    expect(walk(s, { from: 'pod/default/client', to: 'http://my-nginx/' }).verdict).toBe('delivered');
    const t = walk(s, { from: 'pod/default/intruder', to: 'http://my-nginx/' });
    expect(t.verdict).toBe('dropped');
    const drop = t.events.find((e) => e.type === 'hook' && e.detail?.['verdict'] === 'drop')!;
    expect(drop.detail).toMatchObject({ section: 'to-container', policy: 'deny', modelled: true });
    expect(t.reason).toMatch(/Policy denied \(ingress\): identity \d+ -> endpoint \d+ identity \d+ 80\/TCP/);
  });

  it('NodePort under kubeProxyReplacement: from-netdev on the node translates, the laptop gets an answer', () => {
    const s = sim();
    // The policy allows only app=client on port 80, so the laptop is dropped at to-container...
    const t = walk(s, { from: 'host/laptop', to: 'http://192.168.1.12:30080/' });
    expect(t.events.some((e) => e.type === 'hook' && e.detail?.['section'] === 'from-netdev' && e.detail?.['nodePort'])).toBe(true);
    expect(t.verdict).toBe('dropped');
    // ...and reaches nginx once the policy is gone.
    const open = sim(SCENARIO.replace(/---\n# Only Pods labelled[\s\S]*?protocol: TCP}\n/, ''));
    const ok = walk(open, { from: 'host/laptop', to: 'http://192.168.1.12:30080/' });
    expect(ok.verdict).toBe('delivered');
    expect(ok.responder).toMatch(/^pod\/default\/my-nginx-/);
  });

  it('socket LB, UDP: the reply the Pod reads comes from the ClusterIP:port again (cil_sock4_recvmsg rev-NAT), the wire keeps the backend', () => {
    const s = sim();
    const dns = s.model.services.find((x) => x.meta.name === 'kube-dns')!;
    const { trace, outcome } = walkDetailed(s, { from: 'pod/default/client', to: dns.clusterIP!, protocol: 'udp', port: 53 });
    expect(trace.verdict).toBe('delivered');
    // On the wire the datagram went to a CoreDNS Pod (connect() was translated)...
    const backends = s.model.pods.filter((p) => p.meta.name.startsWith('coredns-')).map((p) => p.podIP);
    const sent = trace.events.find((e) => e.type === 'send' && e.packet?.udp?.dport === 53)!;
    expect(backends).toContain(sent.packet!.ip!.dst);
    // ...and the application reads the answer as coming from the Service address.
    expect(outcome!.probes![0]!.from).toBe(dns.clusterIP);
    const rev = trace.events.find((e) => e.type === 'hook' && e.detail?.['hook'] === 'sock-recvmsg')!;
    expect(rev.detail).toMatchObject({ section: 'cil_sock4_recvmsg', verdict: 'rewrite', to: `${dns.clusterIP}:53`, modelled: true });
    // Without kubeProxyReplacement there is no socket program: kube-proxy's conntrack un-DNATs the reply itself.
    const plain = sim(SCENARIO.replace(', kubeProxyReplacement: true', ''));
    const p2 = walkDetailed(plain, { from: 'pod/default/client', to: dns.clusterIP!, protocol: 'udp', port: 53 });
    expect(p2.outcome!.probes![0]!.from).toBe(dns.clusterIP);
    expect(p2.trace.events.some((e) => e.type === 'hook' && e.detail?.['hook'] === 'sock-recvmsg')).toBe(false);
  });

  it('ping to a ClusterIP: ICMP is no service protocol for the BPF LB (lb4_extract_tuple), so no lookup; the VIP is routed like any address and nothing answers it', () => {
    const s = sim();
    const svc = s.model.services.find((x) => x.meta.name === 'my-nginx')!;
    const t = walk(s, { from: 'pod/default/client', to: svc.clusterIP!, protocol: 'icmp' });
    expect(t.verdict).not.toBe('delivered');
    expect(t.responder).toBeNull();
    const skip = t.events.find((e) => e.type === 'hook' && e.detail?.['section'] === 'from-container' && e.detail?.['serviceLookup'] === 'skipped')!;
    expect(skip.detail).toMatchObject({ service: 'default/my-nginx', modelled: true });
    // TCP to the same address is a service protocol: translated at connect().
    expect(walk(s, { from: 'pod/default/client', to: `http://${svc.clusterIP}/` }).verdict).toBe('delivered');
  });

  it('sessionAffinity: ClientIP keeps a client on one backend (the LB affinity map); without it the choice varies', () => {
    const open = SCENARIO.replace(/---\n# Only Pods labelled[\s\S]*?protocol: TCP}\n/, '');
    const responders = (text: string, from: string, to: string): Set<string | null> => {
      const s = sim(text);
      return new Set(Array.from({ length: 8 }, () => walk(s, { from, to }).responder));
    };
    expect(responders(open, 'pod/default/client', 'http://my-nginx/').size).toBe(2);
    const sticky = open.replace('  selector: {run: my-nginx}\n  ports:\n    - {port: 80, targetPort: 80, protocol: TCP}', '  selector: {run: my-nginx}\n  sessionAffinity: ClientIP\n  ports:\n    - {port: 80, targetPort: 80, protocol: TCP}');
    expect(sticky).not.toBe(open);
    expect(responders(sticky, 'pod/default/client', 'http://my-nginx/').size).toBe(1);
    // NodePort (from-netdev) keys the map by the client's address.
    expect(responders(open, 'host/laptop', 'http://192.168.1.12:30080/').size).toBe(2);
    const stickyNp = open.replace('  type: NodePort\n  selector: {run: my-nginx}', '  type: NodePort\n  sessionAffinity: ClientIP\n  selector: {run: my-nginx}');
    expect(stickyNp).not.toBe(open);
    expect(responders(stickyNp, 'host/laptop', 'http://192.168.1.12:30080/').size).toBe(1);
    // The entry lasts sessionAffinityConfig.clientIP.timeoutSeconds on the simulation clock.
    const s = sim(sticky);
    const first = walk(s, { from: 'pod/default/client', to: 'http://my-nginx/' });
    const entry = first.events.find((e) => e.type === 'hook' && e.detail?.['affinity'] !== undefined)!;
    expect(entry.detail).toMatchObject({ affinity: 'new', affinityTimeout: 10800 });
    const again = walk(s, { from: 'pod/default/client', to: 'http://my-nginx/' });
    expect(again.events.find((e) => e.type === 'hook' && e.detail?.['affinity'] !== undefined)!.detail).toMatchObject({ affinity: 'hit' });
  });
});
