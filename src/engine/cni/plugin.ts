/**
 * The CNI plugin seam. A plugin builds exactly what the real one builds, in three moments:
 *
 *   setupNode     the node's own devices before any Pod (flannel.1, flannel0, tunl0, ...)
 *   addPod        one Pod's wiring: veth pair, address, routes (the CNI ADD call)
 *   connectPeers  what the node learns about every other node (flanneld's lease watch, BIRD's
 *                 BGP sessions): routes, neighbour and FDB entries towards their Pod subnets
 *
 * Weave (a mesh overlay with its own bridge and fastdp vxlan) and the AWS VPC CNI (Pod IPs from
 * the VPC on secondary ENIs, /32 routes and per-ENI route tables) fit this shape: each is one
 * more file in this folder and one entry in pluginFor().
 */
import type { NodeModel, PodModel } from '../model/cluster';
import type { BuildCtx } from '../net/context';
import type { NetNs } from '../net/types';
import type { Underlay } from '../net/underlay';

export interface NodeNet {
  readonly model: NodeModel;
  readonly ns: NetNs;
}

export interface CniPlugin {
  /** "flannel/vxlan", "calico/ipip", "bridge", ... for diagnostics and the UI. */
  readonly name: string;
  /** The MTU the plugin gives Pod interfaces (the underlay MTU minus any encapsulation). */
  readonly podMtu: number;
  setupNode(ctx: BuildCtx, u: Underlay, node: NodeNet): void;
  addPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs): void;
  connectPeers(ctx: BuildCtx, u: Underlay, node: NodeNet, peers: readonly NodeNet[]): void;
}
