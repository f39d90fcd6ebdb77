/**
 * kube-router's service proxy (--run-service-proxy, on in its DaemonSet; pkg/controllers/proxy):
 * kube-proxy is not deployed, kube-router programs IPVS itself.
 *
 *   - one IPVS virtual server per ClusterIP/externalIP/NodePort address and port, the Service's
 *     endpoints as masquerading real servers (the table is the one the node agents build for
 *     kube-proxy's ipvs mode, handed over through CniServiceProxyCtx.ipvsTable);
 *   - every VIP as a /32 (scope link) on the dummy device `kube-dummy-if`, with a `local` route
 *     whose preferred source is the node IP (ipAddrAdd, kube-router issue #376), so the node
 *     accepts packets to the VIP and IPVS sees them at LOCAL_IN;
 *   - the ipsets its firewall matches on: kube-router-local-ips (the node's own addresses),
 *     kube-router-svip (every VIP) and kube-router-svip-prt (VIP,proto:port).
 *
 * The filter rules that use these sets are in hostrules.ts.
 */
import { macFromValue } from '../../addr/mac';
import { hashString } from '../../util/rand';
import type { IpvsState } from '../../ipvs/ipvs';
import { ipsetInstall } from '../../netfilter/ipset';
import type { Link, NetNs } from '../../net/types';
import type { CniServiceProxyCtx } from '../plugin';

export const KUBE_DUMMY_IF = 'kube-dummy-if';
export const LOCAL_IPS_SET = 'kube-router-local-ips';
export const SVIP_SET = 'kube-router-svip';
export const SVIP_PORT_SET = 'kube-router-svip-prt';

/** kube-dummy-if holding `addresses`, up, each with its local route sourced from the node IP. */
export function ensureDummyIf(ns: NetNs, addresses: readonly string[], nodeIp: string): Link {
  let link = ns.links.find((l) => l.name === KUBE_DUMMY_IF);
  if (!link) {
    link = {
      ifindex: ns.nextIfindex++, name: KUBE_DUMMY_IF, kind: 'dummy',
      mac: macFromValue(hashString(`${ns.id}/${KUBE_DUMMY_IF}`) * 256), mtu: 1500, up: true, addrs: [],
      stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
    };
    ns.links.push(link);
  }
  link.addrs = addresses.map((address) => ({ family: 4, address, prefixLen: 32, scope: 'link' }));
  ns.routes = ns.routes.filter((r) => !(r.table === 255 && r.dev === KUBE_DUMMY_IF));
  for (const address of addresses) {
    ns.routes.push({ family: 4, table: 255, type: 'local', dst: `${address}/32`, dev: KUBE_DUMMY_IF, src: nodeIp, proto: 'kernel', scope: 'host' });
  }
  return link;
}

/** The addresses IPVS serves that are not the node's own (the ones kube-dummy-if must hold). */
function vips(state: IpvsState, local: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const vs of state.services.values()) if (!local.has(vs.address) && !out.includes(vs.address)) out.push(vs.address);
  return out;
}

/** The node's own addresses as kube-router's local-ips set lists them (every address of every link but kube-dummy-if). */
function localAddresses(ns: NetNs): string[] {
  return ns.links.filter((l) => l.name !== KUBE_DUMMY_IF).flatMap((l) => l.addrs.filter((a) => a.family === 4).map((a) => a.address));
}

export function installKubeRouterProxy(ctx: CniServiceProxyCtx): void {
  const { ns, node } = ctx;
  const state = ctx.ipvsTable();
  ns.ipvs = state;
  const local = new Set(localAddresses(ns));
  ensureDummyIf(ns, vips(state, local), node.ip);
  // kube-router sets these at start (network_services_controller.go: setup ipvs sysctls).
  ns.sysctl['net.ipv4.vs.conntrack'] = '1';
  ns.sysctl['net.ipv4.vs.expire_nodest_conn'] = '1';
  ns.sysctl['net.ipv4.vs.expire_quiescent_template'] = '1';
  ns.sysctl['net.ipv4.ip_forward'] = '1';
  const svip = new Set<string>();
  const svipPort = new Set<string>();
  for (const vs of state.services.values()) {
    svip.add(vs.address);
    svipPort.add(`${vs.address},${vs.protocol.toLowerCase()}:${vs.port}`);
  }
  ipsetInstall(ns, { name: LOCAL_IPS_SET, type: 'hash:ip', members: [...local].filter((a) => a !== '127.0.0.1') });
  ipsetInstall(ns, { name: SVIP_SET, type: 'hash:ip', members: svip });
  ipsetInstall(ns, { name: SVIP_PORT_SET, type: 'hash:ip,port', members: svipPort });
}
