/**
 * Plain Linux machines (kind Host) and Docker containers on them (kind Container): the seeds'
 * chapters before Kubernetes. A Host is a root namespace `host/NAME` (lo, and eth0 on the
 * underlay when it has an ip), plus the namespaces, links, addresses and routes declared up
 * front, built exactly as the equivalent `ip` commands would build them.
 *
 * Docker, as dockerd sets it up:
 *   --network bridge        docker0 (172.17.0.1/16) on the host, a veth per container (host end
 *                           "veth" + 7 hex, enslaved), eth0 in the container with the next free
 *                           address of the pool, MAC 02:42 + the address, default via docker0
 *   --network host          no namespace of its own: the container is an alias of host/NAME
 *   --network none          a namespace with lo only
 *   --network container:B   joins B's namespace (an alias of host/NAME#B)
 */
import { formatIPv4, nthAddress, parsePrefix } from '../addr/ip';
import type { Meta } from '../model/cluster';
import type { HostIn, ContainerIn } from '../scenario/schema/knp';
import { RT_TABLE_MAIN } from '../route/fib';
import { hexFor, macFor, report, type BuildCtx } from './context';
import { hostNsId, namedNsId } from './ids';
import { linkByName } from './lookup';
import { addAddr, addLink, addRoute, addVethPair, createNs, inheritSysctls, loopbackUp, parseAddrLen, setMaster, setUp, v4Addr } from './mutate';
import type { Listener, NetNs } from './types';
import { attachMachine, type Underlay } from './underlay';

type HostObj = { meta: Meta; spec: HostIn['spec'] };
type ContainerObj = { meta: Meta; spec: ContainerIn['spec'] };

/** Docker's MAC for a container address: 02:42 followed by the four address bytes. */
export function dockerMac(ip: string): string {
  return ['02', '42', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

export function buildHosts(ctx: BuildCtx, u: Underlay | undefined): void {
  for (const h of ctx.model.hosts) buildHost(ctx, u, h);
  const pending: ContainerObj[] = [];
  for (const c of ctx.model.containers) {
    if (!ctx.net.namespaces.has(hostNsId(c.spec.host))) {
      report(ctx, c.meta.origin, ['spec', 'host'], 'error', 'container-host-unknown', `Container ${c.meta.name} runs on host "${c.spec.host}", which is not declared`, 'add a Host with that name, or fix spec.host', { container: c.meta.name, host: c.spec.host });
      continue;
    }
    if (c.spec.network.startsWith('container:')) pending.push(c);
    else buildContainer(ctx, c);
  }
  // container:NAME joins a namespace that must exist first; resolve after every other container.
  for (const c of pending) {
    const other = c.spec.network.slice('container:'.length);
    const target = namedNsId(hostNsId(c.spec.host), other);
    if (!ctx.net.namespaces.has(target) && !ctx.net.aliases?.has(target)) {
      report(ctx, c.meta.origin, ['spec', 'network'], 'error', 'container-network-unknown', `Container ${c.meta.name} joins container "${other}", which does not exist on host ${c.spec.host}`, 'name another Container on the same Host', { container: c.meta.name, other, host: c.spec.host });
      continue;
    }
    ctx.net.aliases?.set(namedNsId(hostNsId(c.spec.host), c.meta.name), target);
    addContainerListeners(ctx, c, target);
  }
}

function buildHost(ctx: BuildCtx, u: Underlay | undefined, h: HostObj): void {
  const name = h.meta.name;
  const rootId = hostNsId(name);
  const root = createNs(ctx.net, rootId, { kind: 'host', name }, rootId);
  loopbackUp(root);
  if (h.spec.ip && u) attachMachine(ctx, u, root, name, h.spec.ip);
  root.listeners.push({ protocol: 'tcp', address: '0.0.0.0', port: 22, owner: `host/${name}`, app: { kind: 'sshd' } });
  const spaces = new Map<string, NetNs>([['', root]]);
  (h.spec.namespaces ?? []).forEach((n) => {
    const ns = createNs(ctx.net, namedNsId(rootId, n), { kind: 'netns', machine: name, name: n }, rootId);
    ns.netnsName = n;
    inheritSysctls(ns, root);
    spaces.set(n, ns);
  });
  const nsOf = (n: string | undefined, path: (string | number)[]): NetNs | undefined => {
    const ns = spaces.get(n ?? '');
    if (!ns) report(ctx, h.meta.origin, path, 'error', 'host-netns-unknown', `namespace "${n}" is not declared on host ${name}`, `add it to spec.namespaces (ip netns add ${n})`, { netns: String(n), host: name });
    return ns;
  };
  (h.spec.links ?? []).forEach((l, i) => {
    const ns = nsOf(l.namespace, ['spec', 'links', i, 'namespace']);
    if (!ns) return;
    if (linkByName(ns, l.name)) {
      report(ctx, h.meta.origin, ['spec', 'links', i, 'name'], 'error', 'host-link-exists', `${l.name} already exists in ${ns.id} (RTNETLINK answers: File exists)`, undefined, { dev: l.name, netns: ns.id });
      return;
    }
    if (l.type === 'bridge') {
      const br = addLink(ns, { name: l.name, kind: 'bridge', mac: macFor(ctx, `${ns.id} ${l.name}`), mtu: 1500, qlen: 1000 });
      if (l.up) setUp(ns, br, true);
      return;
    }
    const peerNs = nsOf(l.peerNamespace ?? l.namespace, ['spec', 'links', i, 'peerNamespace']);
    if (!peerNs) return;
    const peerName = l.peer ?? `veth${i}`;
    const [a, b] = addVethPair(ns, l.name, macFor(ctx, `${ns.id} ${l.name}`), peerNs, peerName, macFor(ctx, `${peerNs.id} ${peerName}`), 1500, 1000);
    if (l.up) { setUp(ns, a, true); setUp(peerNs, b, true); }
  });
  // Masters after every link exists, so a veth may name a bridge declared later.
  (h.spec.links ?? []).forEach((l, i) => {
    if (!l.master) return;
    const ns = spaces.get(l.namespace ?? '');
    const link = ns && linkByName(ns, l.name);
    const br = ns && linkByName(ns, l.master);
    if (!ns || !link) return;
    if (!br || br.kind !== 'bridge') {
      report(ctx, h.meta.origin, ['spec', 'links', i, 'master'], 'error', 'host-master-unknown', `${l.master} is not a bridge in ${ns.id}`, 'declare a link of type bridge with that name in the same namespace', { master: String(l.master), netns: ns.id });
      return;
    }
    setMaster(ns, link, br);
  });
  (h.spec.addresses ?? []).forEach((a, i) => {
    const ns = nsOf(a.namespace, ['spec', 'addresses', i, 'namespace']);
    const link = ns && linkByName(ns, a.dev);
    const parsed = parseAddrLen(a.address);
    if (!ns) return;
    if (!link) { report(ctx, h.meta.origin, ['spec', 'addresses', i, 'dev'], 'error', 'host-dev-unknown', `Cannot find device "${a.dev}" in ${ns.id}`, undefined, { dev: a.dev, netns: ns.id }); return; }
    if (!parsed) { report(ctx, h.meta.origin, ['spec', 'addresses', i, 'address'], 'error', 'host-address-invalid', `"${a.address}" is not an IPv4 address with a prefix length`, 'write it like 20.1.1.1/24', { value: a.address }); return; }
    addAddr(ns, link, v4Addr(parsed.address, parsed.prefixLen));
  });
  (h.spec.routes ?? []).forEach((r, i) => {
    const ns = nsOf(r.namespace, ['spec', 'routes', i, 'namespace']);
    if (!ns) return;
    const dst = r.to === 'default' ? 'default' : parsePrefix(r.to.includes('/') ? r.to : `${r.to}/32`, false);
    if (dst === null) { report(ctx, h.meta.origin, ['spec', 'routes', i, 'to'], 'error', 'host-route-invalid', `"${r.to}" is not a prefix (host bits must be zero)`, undefined, { value: r.to }); return; }
    const dev = r.dev ?? (r.via ? ns.links.find((l) => ns.routes.some((x) => x.dev === l.name && x.proto === 'kernel' && x.table === RT_TABLE_MAIN && x.dst !== 'default' && parsePrefix(x.dst, true) && ipIn(r.via!, x.dst)))?.name : undefined);
    if (!dev) { report(ctx, h.meta.origin, ['spec', 'routes', i], 'error', 'host-route-unreachable', `route to ${r.to} via ${r.via ?? '?'}: no device reaches the gateway (Error: Nexthop has invalid gateway.)`, 'add an address in the gateway\'s subnet first, or name dev', { to: r.to, via: r.via ?? '?' }); return; }
    const dstStr = typeof dst === 'string' ? dst : `${formatIPv4(dst.base)}/${dst.len}`;
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: dstStr, dev, ...(r.via ? { via: r.via } : {}), proto: 'boot', scope: r.via ? 'global' : 'link' });
  });
}

function ipIn(ip: string, cidr: string): boolean {
  const p = parsePrefix(cidr, true);
  const v = parseAddrLen(ip);
  if (!p || !v) return false;
  const q = parsePrefix(`${v.address}/${p.len}`, true);
  return !!q && q.base === p.base;
}

/** docker0 on a host, created with the first bridge-mode container (dockerd creates it at start). */
function ensureDocker0(ctx: BuildCtx, host: NetNs, cidr: string): { br: ReturnType<typeof addLink>; prefixLen: number; gateway: string } | undefined {
  const p = parsePrefix(cidr, true);
  if (!p) return undefined;
  const gateway = formatIPv4(nthAddress(p, 1));
  let br = linkByName(host, 'docker0');
  if (!br) {
    br = addLink(host, { name: 'docker0', kind: 'bridge', mac: `02:42:${macFor(ctx, `${host.id} docker0`).slice(6)}`, mtu: 1500 });
    addAddr(host, br, v4Addr(gateway, p.len, { broadcast: true }));
    setUp(host, br, true);
    host.sysctl['net.ipv4.ip_forward'] = '1';
    host.sysctl['net.ipv4.conf.all.forwarding'] = '1';
  }
  return { br, prefixLen: p.len, gateway };
}

function buildContainer(ctx: BuildCtx, c: ContainerObj): void {
  const hostId = hostNsId(c.spec.host);
  const host = ctx.net.namespaces.get(hostId)!;
  const id = namedNsId(hostId, c.meta.name);
  const mode = c.spec.network;
  if (mode === 'host') {
    ctx.net.aliases?.set(id, hostId);
    addContainerListeners(ctx, c, hostId);
    return;
  }
  if (mode !== 'bridge' && mode !== 'none') {
    report(ctx, c.meta.origin, ['spec', 'network'], 'error', 'container-network-invalid', `network "${mode}" is not one of bridge, host, none, container:NAME`, undefined, { value: mode });
    return;
  }
  const hostSpec = ctx.model.hosts.find((h) => h.meta.name === c.spec.host)?.spec;
  const cidr = hostSpec?.docker?.bridgeCIDR ?? '172.17.0.0/16';
  // dockerd creates docker0 and turns forwarding on at start, before any container.
  const d = mode === 'bridge' ? ensureDocker0(ctx, host, cidr) : undefined;
  const ns = createNs(ctx.net, id, { kind: 'netns', machine: c.spec.host, name: c.meta.name }, hostId);
  inheritSysctls(ns, host);
  loopbackUp(ns);
  if (mode === 'bridge') {
    const p = parsePrefix(cidr, true);
    if (d && p) {
      // IPAM: the next address after the gateway that no container holds yet.
      const used = new Set<string>();
      for (const other of ctx.net.namespaces.values()) {
        if (other.machine === hostId) for (const l of other.links) for (const a of l.addrs) used.add(a.address);
      }
      let n = 2;
      while (used.has(formatIPv4(nthAddress(p, n)))) n++;
      const ip = formatIPv4(nthAddress(p, n));
      const [eth0, veth] = addVethPair(ns, 'eth0', dockerMac(ip), host, `veth${hexFor(ctx, `${id} veth`, 7)}`, macFor(ctx, `${id} veth host`), 1500);
      setMaster(host, veth, d.br);
      setUp(host, veth, true);
      setUp(ns, eth0, true);
      addAddr(ns, eth0, v4Addr(ip, d.prefixLen, { broadcast: true }));
      addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: d.gateway, dev: 'eth0', proto: 'boot', scope: 'global' });
    }
  }
  addContainerListeners(ctx, c, id);
}

/** spec.listen: "80", 80, "53/udp". */
function addContainerListeners(ctx: BuildCtx, c: ContainerObj, nsId: string): void {
  const ns = ctx.net.namespaces.get(nsId) ?? (ctx.net.aliases?.get(nsId) ? ctx.net.namespaces.get(ctx.net.aliases.get(nsId)!) : undefined);
  if (!ns) return;
  (c.spec.listen ?? []).forEach((p, i) => {
    const [portStr, protoStr] = String(p).split('/');
    const port = Number(portStr);
    const protocol: Listener['protocol'] = protoStr === 'udp' ? 'udp' : 'tcp';
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      report(ctx, c.meta.origin, ['spec', 'listen', i], 'error', 'container-port-invalid', `"${String(p)}" is not a port`, 'write 80 or "53/udp"', { value: String(p) });
      return;
    }
    const owner = namedNsId(hostNsId(c.spec.host), c.meta.name);
    const clash = ns.listeners.find((l) => l.port === port && l.protocol === protocol);
    if (clash) {
      report(ctx, c.meta.origin, ['spec', 'listen', i], 'error', 'container-port-conflict', `${owner} cannot listen on ${port}/${protocol}: ${clash.owner} already does in the same network namespace (address already in use)`, undefined, { object: owner, port: `${port}/${protocol}`, other: clash.owner });
      return;
    }
    const app = port === 53 ? { kind: 'dns' as const } : protocol === 'udp' ? { kind: 'echo' as const } : { kind: 'http' as const, name: c.meta.name };
    ns.listeners.push({ protocol, address: '0.0.0.0', port, owner, app, container: c.meta.name });
  });
}
