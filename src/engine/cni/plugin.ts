/**
 * The CNI plugin seam. Everything a network plugin is lives in its folder, `cni/<name>/`, behind
 * this one interface; the rest of the engine reaches a plugin only through `cniOf()`
 * (`cni/registry.ts`) and never switches on a plugin's name.
 *
 * The datapath is built in three moments (`CniDatapath`):
 *
 *   setupNode     the node's own devices before any Pod (flannel.1, flannel0, tunl0, ...)
 *   addPod        one Pod's wiring: veth pair, address, routes (the CNI ADD call)
 *   connectPeers  what the node learns about every other node (flanneld's lease watch, BIRD's
 *                 BGP sessions): routes, neighbour and FDB entries towards their Pod subnets
 *
 * and the rest of the plugin is what its daemon and its manifest add around that datapath: the
 * system objects (DaemonSet, Namespace), the host rules and ipsets its daemon writes, its
 * NetworkPolicy enforcement, the files it leaves on a node and what `kubectl describe node`
 * shows of it. Adding a plugin is one more folder and one line in the registry.
 */
import type { NodeModel, PodModel, ClusterModel } from '../model/cluster';
import type { BuildCtx } from '../net/context';
import type { Target } from '../net/target';
import type { IpvsState } from '../ipvs/ipvs';
import type { NetNs } from '../net/types';
import type { Underlay } from '../net/underlay';
import type { Ruleset } from '../netfilter/ruleset';
import type { ClusterSpec, NetworkPlugin } from '../scenario/schema/knp';
import type * as In from '../scenario/schema/k8s';
import type { Sim } from '../sim';
import type { ProgramRegistry } from '../stack/hooks';
import type { UserspaceRegistry } from '../stack/userspace';

export interface NodeNet {
  readonly model: NodeModel;
  readonly ns: NetNs;
}

/** What the plugin builds on the nodes, for one backend. */
export interface CniDatapath {
  /** "flannel/vxlan", "calico/ipip", "bridge", ... for diagnostics and the UI. */
  readonly name: string;
  /** The MTU the plugin gives Pod interfaces (the underlay MTU minus any encapsulation). */
  readonly podMtu: number;
  setupNode(ctx: BuildCtx, u: Underlay, node: NodeNet): void;
  addPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs): void;
  connectPeers(ctx: BuildCtx, u: Underlay, node: NodeNet, peers: readonly NodeNet[]): void;
}

/** The objects a plugin's manifest installs into the cluster (they go through the controllers like any other). */
export interface CniSystemObjects {
  readonly namespaces: readonly In.NamespaceIn[];
  readonly daemonSets: readonly In.DaemonSetIn[];
}

/** An ipset as its writer hands it to `ipsetInstall` (src/engine/netfilter/ipset.ts). */
export interface CniIpSet {
  readonly name: string;
  readonly type: string;
  readonly members: ReadonlySet<string>;
}

/** The netfilter loader's shape: `iptablesRestore(ns, text, {noflush})` from src/engine/netfilter/restore.ts. */
export type RestoreFn = (ns: NetNs, text: string, opts: { noflush: boolean }) => { ok: boolean };

/** What a plugin's tool prints (the shell's CommandResult has this shape). */
export interface CniToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * A command the plugin installs on its nodes (calicoctl, birdcl, weave, cilium-dbg): it reads the
 * Sim and prints what the real tool prints. The shell offers every plugin's tool names and runs
 * the running plugin's; on a cluster whose plugin does not ship it, bash says "command not found".
 */
export type CniTool = (sim: Sim, target: Target, argv: readonly string[]) => CniToolResult;

/**
 * What the node agents hand a plugin that runs its own service proxy (see
 * CniPlugin.installServiceProxy): the node, its namespace, and the IPVS table kube-proxy's ipvs
 * mode would build there with the given scheduler (agents/kubeproxy/ipvsstate.ts: every Service
 * port's virtual servers, its endpoints as real servers), so the plugin does not re-derive
 * Services and endpoints.
 */
export interface CniServiceProxyCtx {
  readonly sim: Sim;
  readonly node: NodeModel;
  readonly ns: NetNs;
  ipvsTable(scheduler?: string): IpvsState;
}

export const cniOk = (stdout: string): CniToolResult => ({ stdout, stderr: '', exitCode: 0 });
export const cniFail = (stderr: string, exitCode = 1, stdout = ''): CniToolResult => ({ stdout, stderr, exitCode });

/**
 * A node's Pod addresses when the plugin hands them out itself (see CniPlugin.ipam): a block of
 * its own address space (weave's ring share), or an explicit list (AWS VPC CNI's ENI secondary
 * addresses), and the node's Pod capacity where the plugin limits it.
 */
export interface CniNodeIpam {
  /** The block Pods on the node get addresses from, from `first` on (the ones before are the network address or the plugin's own, e.g. a bridge's). */
  readonly range?: { readonly cidr: string; readonly first: number };
  /** The addresses in the order the plugin hands them out. */
  readonly addresses?: readonly string[];
  /** kubelet's --max-pods on this node: every Pod counts, hostNetwork ones too; beyond it the scheduler says "Too many pods". */
  readonly maxPods?: number;
}

export interface CniPlugin {
  /** The value of the Cluster's `spec.network.plugin`. */
  readonly id: NetworkPlugin;
  /** The values `spec.network.backend` may take, the default first (checked by the control plane). */
  readonly backends: readonly string[];
  /** Whether its data plane enforces NetworkPolicy. */
  readonly enforcesPolicy: boolean;
  /** The network name in the node's CNI conflist (portmap's chain names hash it). */
  readonly conflistName: string;
  /** The conflist's file name under /etc/cni/net.d ("10-flannel.conflist"). */
  readonly conflistFile: string;
  /** The conflist's content, as the plugin's installer writes it there (`cat`, `ls /etc/cni/net.d`). */
  conflist(model: ClusterModel, node: NodeModel): unknown;
  /** The datapath for the Cluster's backend; reports a backend the plugin does not have and uses its default. */
  datapath(ctx: BuildCtx): CniDatapath;
  systemObjects(spec: ClusterSpec): CniSystemObjects;
  /** The rules the plugin's node daemon writes (masquerade, forward accepts), after kube-proxy's. */
  writeHostRules(rs: Ruleset, model: ClusterModel, node: NodeModel): void;
  /** The ip6tables rules its daemon writes on a cluster with an IPv6 family. Absent: none. */
  writeHostRules6?(rs: Ruleset, model: ClusterModel, node: NodeModel): void;
  /** The ipsets its daemon keeps on every node. */
  ipsets(model: ClusterModel): readonly CniIpSet[];
  /** Loads (or reloads) its NetworkPolicy rules on every node; returns the nodes that failed. */
  installPolicy(sim: Sim, restore: RestoreFn): string[];
  /** A file the plugin writes on a node (/run/flannel/subnet.env), or null. */
  nodeFile(model: ClusterModel, node: NodeModel, path: string): string | null;
  /** The annotations its daemon puts on each Node. */
  nodeAnnotations(model: ClusterModel, node: NodeModel): Record<string, string>;
  /** The NetworkUnavailable condition it sets on its nodes, as `kubectl describe node` prints it; '' when it sets none. */
  readonly networkCondition: string;
  /**
   * Whether the plugin serves Services itself so kube-proxy writes no rules (Cilium's
   * kubeProxyReplacement, kube-router's service proxy). Absent means kube-proxy runs as configured.
   */
  readonly replacesKubeProxy?: (spec: ClusterSpec) => boolean;
  /**
   * Optional: the plugin's own IPAM in place of host-local from each node's podCIDR, by node
   * name: weave's ring share of its range, AWS VPC CNI's ENI secondary addresses with the node's
   * Pod capacity. Absent: host-local on the podCIDR (the bridge takes .1, Pods .2 and up), no limit.
   */
  readonly ipam?: (spec: ClusterSpec, nodes: readonly NodeModel[]) => ReadonlyMap<string, CniNodeIpam>;
  /**
   * Optional: the `spec.network` fields only this plugin reads (AWS VPC CNI's `instanceType`,
   * weave's `encryption`, Cilium's `kubeProxyReplacement`). When another plugin runs and one of them is set, `knp check` warns.
   */
  readonly settings?: readonly (keyof ClusterSpec['network'])[];
  /**
   * The plugin's own service proxy (kube-router's --run-service-proxy): called on each node when
   * the node agents install their kernel state, after kube-proxy's (none when replacesKubeProxy)
   * and before the node's iptables rules load, so the IPVS table, devices and ipsets it sets up
   * exist when its rules (writeHostRules) name them. Absent: the plugin proxies nothing.
   */
  readonly installServiceProxy?: (ctx: CniServiceProxyCtx) => void;
  /** The commands its DaemonSet puts on the node (see CniTool), by name. */
  readonly tools?: Readonly<Record<string, CniTool>>;
  /**
   * The programs its daemon attaches to devices (`Link.progs`: XDP, tc ingress/egress) and
   * sockets (`NetNs.sockProgs`), by name: the walker runs them as hooks (src/engine/stack/hooks.ts).
   * Registered on the Sim at build. Absent = the plugin attaches none.
   */
  readonly programs?: ProgramRegistry;
  /**
   * Optional: its daemons that tunnel packets in user space through a device they hold (a TUN
   * named by `Link.tun`, a packet socket by `Link.packetSocket`), by the name those records give as
   * owner: flanneld's UDP backend, weave's sleeve. Registered on the Sim at build; the stack does
   * the kernel side (stack/userspace.ts). Absent = none.
   */
  readonly userspace?: UserspaceRegistry;
}
