/**
 * Weave Net's IPAM and peer identities.
 *
 * Weave does not use the Node's podCIDR. Every peer shares one allocation range, IPALLOC_RANGE
 * (weave's default is 10.32.0.0/12; here it is the Cluster's podCIDR, so kube-proxy's
 * --cluster-cidr and weave agree, as weave's docs ask), kept as a ring that the peers split
 * between them. When the peers reach consensus the range is divided for every peer at once
 * (ring.ClaimForPeers in weave 2.x): the range is halved, the first half goes to the first half of
 * the peers, the second half to the rest, recursively, so every share is a CIDR-aligned block.
 *
 *   2 peers on 10.32.0.0/12:  node-1 10.32.0.0/13   node-2 10.40.0.0/13
 *   3 peers:                  node-1 10.32.0.0/13   node-2 10.40.0.0/14   node-3 10.44.0.0/14
 *
 * Addresses are only excluded at the edges of the whole subnet (its network and broadcast
 * address), so a peer whose block starts inside it hands out x.x.0.0 too. The first address a
 * peer allocates goes to its `weave` bridge (weave-kube exposes the bridge on the weave network),
 * the next ones to Pods.
 */
import { formatIPv4, formatPrefix, parsePrefix, type Prefix } from '../../addr/ip';
import type { NodeModel } from '../../model/cluster';
import type { ClusterSpec } from '../../scenario/schema/knp';
import { hashString } from '../../util/rand';
import type { CniNodeIpam } from '../plugin';

export const WEAVE_DEFAULT_RANGE = '10.32.0.0/12';

/** IPALLOC_RANGE for the Cluster. */
export function weaveAllocRange(spec: ClusterSpec): Prefix {
  return parsePrefix(spec.podCIDR) ?? parsePrefix(WEAVE_DEFAULT_RANGE)!;
}

/** ring.subdivide: [from, to) split in CIDR-aligned halves among `peers`, in order. */
function subdivide(from: number, to: number, peers: readonly string[], out: Map<string, Prefix>): void {
  const share = to - from;
  if (share <= 0 || peers.length === 0) return;
  if (share === 1 || peers.length === 1) {
    out.set(peers[0]!, { family: 4, base: from >>> 0, len: 32 - Math.log2(share) });
    return;
  }
  const mid = from + Math.floor(share / 2);
  const half = Math.floor(peers.length / 2);
  subdivide(from, mid, peers.slice(0, half), out);
  subdivide(mid + (share % 2), to, peers.slice(half), out);
}

/** Each node's block of the ring, by node name (the peers in the order the nodes are listed). */
export function weaveRing(range: Prefix, nodes: readonly string[]): Map<string, Prefix> {
  const out = new Map<string, Prefix>();
  const size = 2 ** (32 - range.len);
  subdivide(range.base, range.base + size, nodes, out);
  return out;
}

/** The address the node's weave bridge holds, and where its Pods' addresses start. */
export function weaveBlock(range: Prefix, block: Prefix): { bridge: string; bridgeOffset: number } {
  const offset = block.base === range.base ? 1 : 0;
  return { bridge: formatIPv4((block.base + offset) >>> 0), bridgeOffset: offset };
}

/** CniPlugin.ipam: each node's block of the ring, Pods after the bridge's address. */
export function weaveIpam(spec: ClusterSpec, nodes: readonly NodeModel[]): Map<string, CniNodeIpam> {
  const range = weaveAllocRange(spec);
  const ring = weaveRing(range, nodes.map((n) => n.name));
  const out = new Map<string, CniNodeIpam>();
  for (const [name, block] of ring) out.set(name, { range: { cidr: formatPrefix(block), first: weaveBlock(range, block).bridgeOffset + 1 } });
  return out;
}

/** The node's weave bridge address (with the whole range's prefix length), or undefined when it has no block. */
export function weaveBridgeAddr(spec: ClusterSpec, nodes: readonly NodeModel[], node: string): { address: string; prefixLen: number } | undefined {
  const range = weaveAllocRange(spec);
  const block = weaveRing(range, nodes.map((n) => n.name)).get(node);
  return block ? { address: weaveBlock(range, block).bridge, prefixLen: range.len } : undefined;
}

const hex2 = (n: number): string => (n & 255).toString(16).padStart(2, '0');

/** murmur3's finaliser: every input bit moves every output bit (names that differ in one letter look unrelated). */
function mix(h0: number): number {
  let h = h0 >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The peer name, a 48-bit value printed like a MAC (weave derives it from the machine's id; here from the node name). */
export function weavePeerName(node: string): string {
  const a = mix(hashString(`weave peer ${node}`));
  const b = mix(hashString(`weave peer 2 ${node}`));
  return [a >>> 24, a >>> 16, a >>> 8, a, b >>> 8, b].map(hex2).join(':');
}

/** The 12-bit short id each peer picks, which fastdp puts in the VXLAN VNI. */
export function weaveShortId(node: string): number {
  return mix(hashString(`weave short id ${node}`)) & 0xfff;
}

/** The SPI of the IPsec SA from one peer to another (weave derives its keys per connection). */
export function weaveSpi(from: string, to: string): number {
  return (mix(hashString(`weave spi ${from} ${to}`)) | 0x100) >>> 0;
}

/** fastdp's tunnel id: the sender's short id, then the receiver's (12 bits each). */
export function weaveVni(from: string, to: string): number {
  return (weaveShortId(from) << 12) | weaveShortId(to);
}
