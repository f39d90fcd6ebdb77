/**
 * Finding kernel state: which namespace a shell target or a walk endpoint runs in, and the links
 * inside it. Every area (shell commands, the walk, netfilter, the UI) resolves targets here, so
 * "pod/default/web" means the same namespace everywhere.
 *
 *   pod/NS/NAME            → pod/NS/NAME, or node/NODE when the Pod uses hostNetwork
 *   node/NAME [netns X]    → node/NAME, or node/NAME#X
 *   host/NAME [netns X]    → host/NAME, or host/NAME#X (Docker containers are host/NAME#CONTAINER)
 */
import type { ClusterModel } from '../model/cluster';
import type { Target } from './target';
import { hostNsId, namedNsId, nodeNsId, podNsId } from './ids';
import type { Link, NetNs, Network, NsId } from './types';

/** A namespace by id, following aliases (`--network container:B`, `--network host`). */
/** What the lookups read of a live simulation (a Sim is one). */
export interface SimView {
  readonly net: Network;
  readonly model: ClusterModel;
}

export function nsById(net: Network, id: NsId): NetNs | undefined {
  const direct = net.namespaces.get(id);
  if (direct) return direct;
  let cur = id;
  for (let i = 0; i < 8; i++) {
    const next = net.aliases?.get(cur);
    if (next === undefined) return undefined;
    const ns = net.namespaces.get(next);
    if (ns) return ns;
    cur = next;
  }
  return undefined;
}

/** The namespace id a target's commands run in (before alias resolution). */
export function nsIdForTarget(sim: SimView, target: Target): NsId | undefined {
  switch (target.kind) {
    case 'workstation': return undefined;
    case 'node': return target.netns ? namedNsId(nodeNsId(target.name), target.netns) : nodeNsId(target.name);
    case 'host': return target.netns ? namedNsId(hostNsId(target.name), target.netns) : hostNsId(target.name);
    case 'pod': {
      const pod = sim.model.pods.find((p) => p.meta.namespace === target.namespace && p.meta.name === target.name);
      if (pod?.hostNetwork) return pod.nodeName ? nodeNsId(pod.nodeName) : undefined;
      return podNsId(target.namespace, target.name);
    }
  }
}

/** The namespace a target's commands run in: a Pod's own (or its node's for hostNetwork), a node's or host's root, or a named one. */
export function nsForTarget(sim: SimView, target: Target): NetNs | undefined {
  const id = nsIdForTarget(sim, target);
  return id === undefined ? undefined : nsById(sim.net, id);
}

/** Parses a walk endpoint "pod/NS/NAME", "pod/NAME", "node/N", "host/H", optionally with "#netns", into a target. */
export function targetFromRef(ref: string): Target | null {
  const hash = ref.indexOf('#');
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const netns = hash < 0 ? undefined : ref.slice(hash + 1);
  const parts = base.split('/');
  const [kind, a, b] = parts;
  if (kind === 'pod' && parts.length === 2 && a) return { kind: 'pod', namespace: 'default', name: a };
  if (kind === 'pod' && parts.length === 3 && a && b) return { kind: 'pod', namespace: a, name: b };
  if ((kind === 'node' || kind === 'host') && parts.length === 2 && a) return netns ? { kind, name: a, netns } : { kind, name: a };
  return null;
}

/** `nsForTarget` for a reference string; also accepts raw ids such as "infra/router". */
export function nsForRef(sim: SimView, ref: string): NetNs | undefined {
  const direct = nsById(sim.net, ref);
  if (direct) return direct;
  const t = targetFromRef(ref);
  return t ? nsForTarget(sim, t) : undefined;
}

export function linkByName(ns: NetNs, name: string): Link | undefined {
  return ns.links.find((l) => l.name === name);
}

export function linkByIndex(ns: NetNs, ifindex: number): Link | undefined {
  return ns.links.find((l) => l.ifindex === ifindex);
}

/** The other end of a veth (or of the cable an `eth0` plugs into the underlay switch). */
export function peerOf(net: Network, link: Link): { ns: NetNs; link: Link } | undefined {
  if (!link.peer) return undefined;
  const ns = net.namespaces.get(link.peer.ns);
  const peer = ns ? linkByIndex(ns, link.peer.ifindex) : undefined;
  return ns && peer ? { ns, link: peer } : undefined;
}

/** Who answers from a namespace, as traces name it: pod/NS/NAME, node/NAME, host/NAME, or the raw id. */
export function ownerRef(ns: NetNs): string {
  switch (ns.owner.kind) {
    case 'node': return `node/${ns.owner.name}`;
    case 'pod': return `pod/${ns.owner.namespace}/${ns.owner.name}`;
    case 'host': return `host/${ns.owner.name}`;
    case 'netns': return ns.id;
    case 'infra': return ns.id;
  }
}

/** Every namespace whose interfaces hold `ip` (usually one; the first wins for ownership). */
export function nsHoldingAddress(net: Network, ip: string): NetNs | undefined {
  for (const ns of net.namespaces.values()) {
    for (const l of ns.links) if (l.kind !== 'loopback' && l.addrs.some((a) => a.address === ip)) return ns;
  }
  return undefined;
}
