/**
 * The network state of every machine in the simulation, mirroring what the kernel holds per
 * network namespace. Names follow iproute2 (link, addr, route, neigh, fdb) so that the shell
 * prints them the way `ip` does and the lab exporter can replay them with real `ip` commands.
 *
 *   machine (node / pod / host / external host / underlay switch / router)
 *     └─ one or more NetNs ── links (lo, eth0, veths, bridge, flannel.1, ...)
 *                          ├─ addrs on links      (ip addr)
 *                          ├─ routes in tables    (ip route [table local|main])
 *                          ├─ neigh entries       (ip neigh)
 *                          ├─ sysctls             (net.ipv4.ip_forward, ...)
 *                          ├─ listening sockets   (the Pod's apps)
 *                          └─ netfilter + conntrack (slots filled by src/engine/netfilter)
 */
import type { Family } from '../addr/ip';
import type { Mac } from '../addr/mac';
import type { ConntrackTable } from '../conntrack/types';
import type { NetfilterState } from '../netfilter/types';
import type { NftState } from '../netfilter/nft/ruleset';

export type NsId = string;

/** Who owns a namespace, for display and for `knp exec` targets. */
export type NsOwner =
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'host'; readonly name: string }
  /** A named namespace inside a node or host (`ip netns add net1`, a Docker container). */
  | { readonly kind: 'netns'; readonly machine: string; readonly name: string }
  /** Infrastructure around the cluster: the underlay switch and the router to external hosts. */
  | { readonly kind: 'infra'; readonly name: string };

export type LinkKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'vxlan' | 'tun' | 'ipip' | 'dummy';

export interface IfAddr {
  readonly family: Family;
  readonly address: string;
  readonly prefixLen: number;
  readonly scope: 'host' | 'link' | 'global';
  readonly broadcast?: string;
  /** Secondary addresses print without "noprefixroute" differences; kept for `ip addr` fidelity. */
  readonly label?: string;
}

export interface FdbEntry {
  readonly mac: Mac;
  /** Port (for a bridge: the slave device name; for vxlan: the vxlan device itself). */
  readonly dev: string;
  /** VXLAN: remote VTEP address (`dst`). */
  readonly dst?: string;
  /** VXLAN: the VNI towards this destination (`bridge fdb add ... vni N`); absent = the device's. */
  readonly vni?: number;
  readonly permanent: boolean;
  /** Learned entries age out (bridge ageing_time, 300 s by default). */
  readonly updatedAt: number;
  /** The bridge's own addresses ("self permanent" on the bridge/ports). */
  readonly local?: boolean;
}

export interface Link {
  readonly ifindex: number;
  name: string;
  readonly kind: LinkKind;
  mac: Mac;
  mtu: number;
  /** Administrative state (`ip link set up`). Operational state also needs the carrier (veth peer up). */
  up: boolean;
  /** Bridge this link is enslaved to (name within the same namespace). */
  master?: string;
  addrs: IfAddr[];
  /**
   * veth: the other end. ether: the cable into the underlay (a port of br0 in infra/underlay,
   * or the router's ethN for an external host); printed without @ifN, as a physical NIC.
   */
  peer?: { readonly ns: NsId; readonly ifindex: number };
  /**
   * Bridge: forwarding database (own MACs `local`). VXLAN: remote VTEP FDB; the all-zeros MAC
   * entry is the default destination (`ip link add ... type vxlan remote IP` creates it).
   */
  fdb?: FdbEntry[];
  /**
   * VXLAN settings. `external` (collect_md: an Open vSwitch vxlan vport, or `ip link add ... type
   * vxlan external`) accepts every VNI on its port; the remote and VNI to send with come from the
   * FDB entry, or from the tunnel key a program set on the packet (received packets keep theirs).
   */
  vxlan?: { readonly vni: number; readonly port: number; readonly local?: string; readonly dev?: string; readonly learning: boolean; readonly external?: boolean };
  ipip?: { readonly local?: string; readonly remote?: string };
  /**
   * TUN: the user-space process reading it, and the UDP port its tunnel socket listens on: what it
   * reads it sends to a peer in UDP, what it receives on `port` it writes into the TUN. What it
   * decides is the process registered under `owner` in `sim.userspace` (stack/userspace.ts).
   */
  tun?: { readonly owner: string; readonly port?: number };
  /**
   * A user-space process holds a packet socket (pcap) on this device: every frame arriving here
   * goes up to it, and it tunnels the frame in UDP `port` to its peers (which ones: the process
   * registered under `owner` in `sim.userspace` decides, e.g. from this device's FDB); frames it
   * receives on that port it writes back out of this device. `encrypted` names the cipher it
   * seals the payload with, when it has a key.
   */
  packetSocket?: { readonly owner: string; readonly port: number; readonly encrypted?: string };
  /** Per-link counters, as `ip -s link` shows them. */
  stats: { rxPackets: number; txPackets: number; rxBytes: number; txBytes: number; rxDropped: number; txDropped: number };
  /**
   * Bridge: an Open vSwitch kernel datapath rather than a Linux bridge (weave's `datapath`). It
   * switches by the flows its controller installs, modelled as this FDB; netfilter never sees
   * what it switches (br_netfilter belongs to the Linux bridge), and `ip -d link` says openvswitch.
   */
  openvswitch?: boolean;
  /** Calico sets proxy_arp on cali* host ends. */
  proxyArp?: boolean;
  /**
   * Transmit queue length as `ip link` prints it (`qlen 1000`); absent = not printed (veths
   * created by CNI plugins through netlink have none, `ip link add` ones have 1000).
   */
  qlen?: number;
  /** MTU of a bridge follows its ports unless set by hand (the kernel's br_mtu_auto). */
  mtuSet?: boolean;
  /**
   * Programs attached to the device (XDP, tc ingress/egress), in run order, by name: the walker
   * looks each up in `sim.programs` (src/engine/stack/hooks.ts). `tc filter show` reads this.
   */
  progs?: AttachedProgram[];
}

/** Where a program sits on a device: XDP (driver, before the stack) or tc's clsact ingress/egress. */
export type DevHookPoint = 'xdp' | 'tc-ingress' | 'tc-egress';

/** A program attached to a device (`tc filter add dev lxc1 ingress bpf da obj bpf_lxc.o sec from-container`). */
export interface AttachedProgram {
  readonly point: DevHookPoint;
  /** The name it is registered under in `sim.programs` ("cilium/from-container"). */
  readonly program: string;
}

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';

export interface Route {
  readonly family: Family;
  /** 255 local, 254 main, or any other table id. */
  readonly table: number;
  readonly type: RouteType;
  /** "default" or a prefix "10.244.1.0/24"; host routes are "/32". */
  readonly dst: string;
  readonly dev?: string;
  readonly via?: string;
  /** Preferred source address (`src`). */
  readonly src?: string;
  /**
   * 'felix' is Calico's own number 80 (printed `proto 80`, iproute2 has no name for it); a
   * number is any other protocol iproute2 has no name for (kube-router's gobgp routes: 17).
   */
  readonly proto: 'kernel' | 'boot' | 'static' | 'bird' | 'dhcp' | 'felix' | number;
  readonly scope: 'host' | 'link' | 'global';
  readonly metric?: number;
  readonly onlink?: boolean;
}

/**
 * A routing policy rule (`ip rule`, the kernel's RPDB): when the selector matches a lookup, the
 * action runs; `lookup` tries one table and falls through to the next rule when the table has
 * no route. Rules are kept ordered by priority, equal priorities in the order they were added.
 */
export interface RoutingRule {
  readonly family: Family;
  readonly priority: number;
  /** `not`: the selector is inverted. */
  readonly invert?: boolean;
  /** `from PREFIX` ("10.0.1.5/32"); absent = from all. */
  readonly src?: string;
  /** `to PREFIX`; absent = to all. */
  readonly dst?: string;
  /** `fwmark VALUE[/MASK]`: matches when (mark ^ fwmark) & fwmask is 0. */
  readonly fwmark?: number;
  readonly fwmask?: number;
  /** `iif DEV` (locally generated traffic comes in on `lo`), `oif DEV` (a socket bound to DEV). */
  readonly iif?: string;
  readonly oif?: string;
  readonly action: 'lookup' | 'blackhole' | 'unreachable' | 'prohibit';
  /** The table `lookup` consults (255 local, 254 main, 253 default, or any number). */
  readonly table?: number;
}

export type NeighState = 'PERMANENT' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'INCOMPLETE' | 'FAILED' | 'NOARP';

export interface NeighEntry {
  readonly family: Family;
  readonly ip: string;
  readonly dev: string;
  mac?: Mac;
  state: NeighState;
  updatedAt: number;
}

/** A socket listening in a namespace: a container's app, CoreDNS, kube-proxy (userspace), ingress-nginx. */
export interface Listener {
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  /** "0.0.0.0" for any address. */
  readonly address: string;
  readonly port: number;
  /** Who answers: "pod/NS/NAME", "node/NAME", "host/NAME". */
  readonly owner: string;
  /** What the app does with a request; the stack's application layer interprets it. */
  readonly app: AppKind;
  readonly container?: string;
}

export type AppKind =
  | { readonly kind: 'http'; readonly name: string }
  | { readonly kind: 'echo' }
  | { readonly kind: 'dns' }
  | { readonly kind: 'proxy'; readonly role: string }
  | { readonly kind: 'sshd' }
  /** The UDP socket of a user-space tunnel process (flanneld's; stack/userspace.ts): it answers nothing else. */
  | { readonly kind: 'flanneld' };

/**
 * An IPsec transport-mode security association with its policy, as `ip xfrm policy` and `ip
 * xfrm state` hold them: `out` sends what matches (src, dst, UDP dport) as ESP with `spi`;
 * `in` opens ESP with that `spi` addressed to us.
 */
export interface XfrmSa {
  readonly dir: 'in' | 'out';
  readonly src: string;
  readonly dst: string;
  readonly proto: 'udp';
  readonly dport: number;
  readonly spi: number;
  /** Who installed it (weave's router), for `ip xfrm` and the trace. */
  readonly owner: string;
}

export interface NetNs {
  readonly id: NsId;
  readonly owner: NsOwner;
  /** Which machine's kernel this namespace lives in (node/host name), for the canvas and the lab. */
  readonly machine: string;
  links: Link[];
  routes: Route[];
  /**
   * The routing policy rules (`ip rule`), ordered by priority. Absent = the kernel's three default
   * rules (0 lookup local, 32766 lookup main, 32767 lookup default): the FIB then takes its fast
   * path. Replace the array (never edit it in place) and bump the network's generation.
   */
  rules?: RoutingRule[];
  neigh: NeighEntry[];
  /**
   * Proxy neighbour entries (`ip neigh add proxy IP dev DEV`, the kernel's pneigh table): ARP
   * requests for IP arriving on DEV are answered with DEV's MAC when the route to IP leaves by
   * another device and the namespace forwards. Absent = none.
   */
  proxyNeigh?: { readonly ip: string; readonly dev: string }[];
  sysctl: Record<string, string>;
  listeners: Listener[];
  nextIfindex: number;
  /**
   * The name under /var/run/netns when `ip netns` knows this namespace (`ip netns add net1`,
   * namespaces declared on a Host). Pods and Docker containers have none, as in reality.
   */
  netnsName?: string;
  /**
   * Namespace ids this namespace has given a number to (`link-netnsid N` in `ip link`, `(id: N)`
   * in `ip netns list`): the kernel numbers a peer namespace the first time a veth spans to it.
   */
  nsids?: Map<NsId, number>;
  /** Filled by the netfilter module (tables, chains, rules, ipsets). Absent = no rules, everything accepted. */
  netfilter?: NetfilterState;
  /**
   * ip6tables' own tables (`ip6tables`, `ip6tables-save`): IPv6 packets traverse these, never
   * `netfilter`. Absent = no IPv6 rules, every IPv6 packet accepted (and not tracked).
   */
  netfilter6?: NetfilterState;
  /** nf_tables state loaded with `nft -f` (kube-proxy's nftables mode): src/engine/netfilter/nft. */
  nft?: NftState;
  /** Filled by the conntrack module on the first packet seen while netfilter state exists. */
  conntrack?: ConntrackTable;
  /** IPsec transport-mode SAs (ESP), when something keyed them (weave fastdp with a password). */
  xfrm?: XfrmSa[];
  /** The IPVS table (kube-proxy IPVS mode): src/engine/k8s/kubeproxy/ipvs.ts IpvsState. */
  ipvs?: unknown;
  /**
   * Socket programs that apply to the processes of this namespace (cgroup/connect4 attached to
   * the cgroup they run in), by name in `sim.programs`: they may change where a connect() goes.
   */
  sockProgs?: string[];
}

/** The whole simulated network: every namespace by id. */
export interface Network {
  readonly namespaces: Map<NsId, NetNs>;
  /** Bumped by every state change; caches (FIB tries, rule indexes) key on it. */
  generation: number;
  /**
   * Ids that name another namespace: a Docker container with `--network container:B` or
   * `--network host` ("host/h1#a" → "host/h1#b" or "host/h1"). Resolve with nsById (lookup.ts).
   */
  aliases?: Map<NsId, NsId>;
}
