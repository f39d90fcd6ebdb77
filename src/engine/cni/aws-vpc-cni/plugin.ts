/**
 * AWS VPC CNI's datapath. No bridge and no overlay: a Pod's address is a secondary address of
 * one of the node's ENIs, in the VPC subnet itself.
 *
 *   Pod eth0 (POD/32) ── default via 169.254.1.1, a static neighbour for it (the host end's MAC)
 *     └─ veth ── eniXXXXXXXXXXX on the node: `POD dev eniX scope link` in main
 *   node: eth0 (primary ENI, main table), eth1… (secondary ENIs: their subnet route removed
 *         from main, table N = device number + 1 with `GW dev ethN scope link` and
 *         `default via GW dev ethN`)
 *   rules: 512 `to POD lookup main` for every Pod, 1024 `fwmark 0x80/0x80 lookup main`,
 *          1536 `from POD lookup N` for a Pod on a secondary ENI (so it leaves by its own ENI)
 *
 * The VPC fabric, the underlay, knows where every address lives and delivers it to the ENI that
 * holds it: modelled as a proxy neighbour entry per Pod address on its ENI (see connectFabric).
 */
import type { PodModel } from '../../model/cluster';
import { macFor, type BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addAddr, addRoute, addVethPair, setUp, v4Addr } from '../../net/mutate';
import type { NetNs, RoutingRule } from '../../net/types';
import { plugIntoSwitch, type Underlay } from '../../net/underlay';
import { DEFAULT_RULES, insertRule, rulesOf, setRules } from '../../route/rules';
import { sha1Hex } from '../../util/sha1';
import type { CniDatapath, NodeNet } from '../plugin';
import { eniLayout, eniOf, type Eni } from './eni';

export const AWS_GATEWAY = '169.254.1.1';
/** The connmark bit ipamd uses (AWS_VPC_K8S_CNI_CONNMARK's default 0x80). */
export const AWS_CONNMARK = 0x80;

/** The host end of a Pod's veth: "eni" and the first 11 hex digits of sha1("NAMESPACE.POD"), as GenerateHostVethName. */
export function eniVethName(namespace: string, pod: string): string {
  return `eni${sha1Hex(`${namespace}.${pod}`).slice(0, 11)}`;
}

const addRule = (ns: NetNs, r: RoutingRule): void => setRules(ns, insertRule(rulesOf(ns), r));

/** Pods of this node with an address of their own. */
function podsOn(ctx: BuildCtx, node: string): PodModel[] {
  return ctx.model.pods.filter((p) => p.nodeName === node && !p.hostNetwork && p.podIP);
}

/** The ENIs ipamd has attached: those holding a Pod's address, and one warm ENI more (WARM_ENI_TARGET=1). */
export function attachedEnis(ctx: BuildCtx, node: string, enis: readonly Eni[]): Eni[] {
  let used = 0;
  for (const p of podsOn(ctx, node)) used = Math.max(used, eniOf(enis, p.podIP!)?.index ?? 0);
  return enis.slice(0, Math.min(enis.length, used + 2));
}

function gatewayOf(ctx: BuildCtx, u: Underlay): string {
  return ctx.model.spec.gateway ?? u.gateway;
}

function setupNode(ctx: BuildCtx, u: Underlay, node: NodeNet, layout: Map<string, Eni[]>): void {
  const ns = node.ns;
  const enis = layout.get(node.model.name) ?? [];
  const gw = gatewayOf(ctx, u);
  setRules(ns, [...DEFAULT_RULES]);
  addRule(ns, { family: 4, priority: 1024, fwmark: AWS_CONNMARK, fwmask: AWS_CONNMARK, action: 'lookup', table: 254 });
  for (const eni of attachedEnis(ctx, node.model.name, enis)) {
    if (eni.index === 0) continue;
    const nic = plugIntoSwitch(ctx, u, ns, node.model.name, eni.device);
    addAddr(ns, nic, v4Addr(eni.primary, u.prefixLen, { broadcast: true }));
    // ipamd takes the secondary ENI's subnet route out of main: only its own table sends out of it.
    ns.routes = ns.routes.filter((r) => !(r.table === 254 && r.dev === eni.device && r.proto === 'kernel'));
    addRoute(ns, { family: 4, table: eni.table, type: 'unicast', dst: `${gw}/32`, dev: eni.device, proto: 'boot', scope: 'link' });
    addRoute(ns, { family: 4, table: eni.table, type: 'unicast', dst: 'default', via: gw, dev: eni.device, proto: 'boot', scope: 'global' });
  }
}

function addPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number, layout: Map<string, Eni[]>): void {
  if (!pod.podIP) return;
  const hostName = eniVethName(pod.meta.namespace, pod.meta.name);
  const [eth0, host] = addVethPair(podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`), node.ns, hostName, macFor(ctx, `${podNs.id} ${hostName}`), mtu);
  setUp(node.ns, host, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, 32));
  addRoute(podNs, { family: 4, table: 254, type: 'unicast', proto: 'boot', dst: `${AWS_GATEWAY}/32`, dev: 'eth0', scope: 'link' });
  addRoute(podNs, { family: 4, table: 254, type: 'unicast', proto: 'boot', dst: 'default', via: AWS_GATEWAY, dev: 'eth0', scope: 'global' });
  podNs.neigh.push({ family: 4, ip: AWS_GATEWAY, dev: 'eth0', mac: host.mac, state: 'PERMANENT', updatedAt: 0 });
  addRoute(node.ns, { family: 4, table: 254, type: 'unicast', proto: 'boot', dst: `${pod.podIP}/32`, dev: hostName, scope: 'link' });
  const src = `${pod.podIP}/32`;
  addRule(node.ns, { family: 4, priority: 512, dst: src, action: 'lookup', table: 254 });
  const eni = eniOf(layout.get(node.model.name) ?? [], pod.podIP);
  if (eni && eni.index > 0) addRule(node.ns, { family: 4, priority: 1536, src, action: 'lookup', table: eni.table });
}

/**
 * The VPC fabric delivers a Pod address to the ENI that holds it. Modelled on the node: a proxy
 * neighbour entry for each Pod address on its ENI, so ARP for it on the segment is answered by
 * that ENI alone (with its MAC), as EC2 answers with the MAC of the ENI holding the address.
 */
function connectFabric(ctx: BuildCtx, node: NodeNet, layout: Map<string, Eni[]>): void {
  const enis = layout.get(node.model.name) ?? [];
  for (const pod of podsOn(ctx, node.model.name)) {
    const eni = eniOf(enis, pod.podIP!) ?? enis[0];
    if (!eni || !linkByName(node.ns, eni.device)) continue;
    (node.ns.proxyNeigh ??= []).push({ ip: pod.podIP!, dev: eni.device });
  }
}

export function awsVpcDatapath(ctx: BuildCtx): CniDatapath {
  const layout = eniLayout(ctx.model.spec, ctx.model.nodes);
  const mtu = ctx.model.spec.network.mtu;
  return {
    name: 'aws-vpc-cni',
    podMtu: mtu,
    setupNode: (c, u, node) => setupNode(c, u, node, layout),
    addPod: (c, node, pod, podNs) => addPod(c, node, pod, podNs, mtu, layout),
    connectPeers: (c, _u, node) => connectFabric(c, node, layout),
  };
}
