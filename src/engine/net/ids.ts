/**
 * Namespace ids: how the rest of the engine (shell targets, traces, the canvas, the lab) names
 * a network namespace. One convention, used everywhere:
 *
 *   node/NAME                root namespace of a cluster node (hostNetwork Pods live here)
 *   pod/NS/NAME              a Pod's namespace (owned by its pause container)
 *   host/NAME                an external host or a plain Linux Host's root namespace
 *   MACHINE#NAME             a named namespace inside a machine: `ip netns add net1` on host/h1
 *                            is "host/h1#net1"; a Docker container c1 on host/h1 is "host/h1#c1"
 *   infra/underlay           the switched segment the nodes' eth0 sit on (a bridge namespace)
 *   infra/router             the router between the underlay and external hosts
 */
import type { NsId } from './types';

export const nodeNsId = (node: string): NsId => `node/${node}`;
export const podNsId = (namespace: string, name: string): NsId => `pod/${namespace}/${name}`;
export const hostNsId = (host: string): NsId => `host/${host}`;
export const namedNsId = (machineNs: NsId, name: string): NsId => `${machineNs}#${name}`;
export const UNDERLAY_NS: NsId = 'infra/underlay';
export const ROUTER_NS: NsId = 'infra/router';

/** The machine part of a namespace id ("host/h1#net1" → "host/h1"). */
export function machineOf(id: NsId): string {
  const i = id.indexOf('#');
  return i < 0 ? id : id.slice(0, i);
}
