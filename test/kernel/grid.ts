/**
 * The generated part of the kernel tier's corpus: every network plugin × every way traffic
 * reaches a Pod (or leaves one). Each cell is a small two-node cluster with ONE web endpoint,
 * so the responder is determined and the kernel and the simulator must name the same Pod.
 *
 *                     underlay 192.168.1.0/24 ── router ── 203.0.113.0/24 (ext-client, outside)
 *        node-1 (.11)                   node-2 (.12)
 *        client-1                       client-2, web-1 (app=web, :80, hostPort 8080 in hostport)
 *
 * A cell enters the tier when every engine area it needs has landed in main (LANDED below);
 * until then it is listed as pending in docs/linux-fidelity.md (a test checks that table), never
 * as a skipped test.
 */

export type Plugin = 'flannel-vxlan' | 'flannel-host-gw' | 'bridge' | 'calico' | 'weave';
export type Traffic = 'pod-to-pod' | 'clusterip' | 'nodeport' | 'hostport' | 'externalips' | 'local-policy' | 'networkpolicy' | 'pod-to-outside';

/** Engine areas a cell needs, named after the work that provides them. */
export type Area =
  | 'control-plane'   // Pods, Services, EndpointSlices, Probe objects
  | 'net-build'       // namespaces, links, routes from the model
  | 'stack'           // the packet walk
  | 'netfilter'       // iptables-save text for iptables-restore, rules in the walk
  | 'kube-proxy'      // Service rules on the nodes
  | 'kube-proxy-ipvs' // IPVS virtual servers in the walk
  | 'ebpf'            // BPF programs on devices and sockets (Cilium): this kernel cannot load them, so never landed here
  | 'kube-proxy-nftables' // kube-proxy's ip kube-proxy table, exported to the lab with `nft -f`
  | 'cni-portmap'     // hostPort DNAT rules
  | 'network-policy'  // NetworkPolicy enforcement (calico)
  | 'cni-masq'        // Pod-to-outside masquerade rules
  | 'ci-ipset'        // the `ipset` tool where the tier runs: calico's rules match ipsets (.ci/run must install it)
  | 'lab-weave'       // weave fastdp in the tier: the lab exports it (datapath as tc mirred between its two ports, an
                      // Open vSwitch datapath switching without netfilter; vxlan-6784 as a plain VXLAN device with an FDB
                      // entry per peer MAC and an all-zeros one per peer for floods). Outer tunnel entries are compared
                      // modulo their source port (compare.ts, collapseTunnelEntries). Sleeve and ESP are refused by the lab.
  | 'weave-host-path' // weave grid cells whose Pods talk to a node address, a Service or the outside. Found by the tier
                      // (December 2026): in the simulator a Pod's ARP for its gateway (the weave bridge's address) floods
                      // through vethwe-bridge into `datapath`, whose internal port hands it to the node's stack, and the node
                      // answers with datapath's MAC (arp_ignore 0), so the Pod's packets to the gateway go round through the
                      // datapath: MASQUERADEd to the bridge address on the way, the reply ends on the node ("nothing listens")
                      // where Linux (the lab has no datapath netdev) sends it out of eth0 as 192.168.1.11. Same cause likely
                      // for pod→hostPort/NodePort/externalIP conntrack tuples and a ClusterIP's closed port ("no route" where
                      // Linux says unreachable). Owner: cni/weave (who answers ARP on the datapath's internal port).
                      // Fixed: an Open vSwitch datapath (stack/bridge.ts) passes nothing up to its internal port.
  | 'lab-ipv6';       // IPv6 in the lab: addresses (link-local ones too, addr_gen_mode 1), routes, permanent neighbours
                      // and FDB entries, flannel-v6.1 over the IPv6 underlay, ip6tables-restore of kube-proxy's IPv6
                      // rules, servers on [::], ICMPv6 probes (grid6 below).

/** Areas merged into main so far. Add one when its work lands: its cells join the tier. */
export const LANDED: ReadonlySet<Area> = new Set<Area>(['control-plane', 'stack', 'kube-proxy', 'net-build', 'netfilter', 'cni-masq', 'cni-portmap', 'network-policy', 'kube-proxy-ipvs', 'ci-ipset', 'kube-proxy-nftables', 'lab-weave', 'weave-host-path', 'lab-ipv6']);

export interface GridCell {
  readonly name: string;
  readonly plugin: Plugin;
  readonly traffic: Traffic;
  readonly needs: readonly Area[];
  readonly yaml: string;
}

export const PLUGINS: readonly Plugin[] = ['flannel-vxlan', 'flannel-host-gw', 'bridge', 'calico', 'weave'];
export const TRAFFIC: readonly Traffic[] = ['pod-to-pod', 'clusterip', 'nodeport', 'hostport', 'externalips', 'local-policy', 'networkpolicy', 'pod-to-outside'];

const BASE: readonly Area[] = ['control-plane', 'net-build', 'stack'];
const NEEDS: Record<Traffic, readonly Area[]> = {
  'pod-to-pod': BASE,
  clusterip: [...BASE, 'netfilter', 'kube-proxy'],
  nodeport: [...BASE, 'netfilter', 'kube-proxy'],
  hostport: [...BASE, 'netfilter', 'cni-portmap'],
  externalips: [...BASE, 'netfilter', 'kube-proxy'],
  'local-policy': [...BASE, 'netfilter', 'kube-proxy'],
  networkpolicy: [...BASE, 'netfilter', 'kube-proxy', 'network-policy'],
  'pod-to-outside': [...BASE, 'netfilter', 'cni-masq'],
};

function networkSpec(plugin: Plugin): string {
  switch (plugin) {
    case 'flannel-vxlan': return '{plugin: flannel, backend: vxlan}';
    case 'flannel-host-gw': return '{plugin: flannel, backend: host-gw}';
    case 'bridge': return '{plugin: bridge}';
    case 'calico': return '{plugin: calico, backend: bgp}';
    case 'weave': return '{plugin: weave, backend: fastdp}';
  }
}

const doc = (s: string): string => s.replace(/^\n/, '');

function pod(name: string, node: string, labels: string, ports = ''): string {
  return doc(`
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {${labels}}}
spec:
  nodeName: ${node}
  containers:
  - name: main
    image: ${ports ? 'nginx' : 'busybox'}
${ports ? `    ports: [${ports}]\n` : ''}`);
}

function probe(name: string, from: string, to: string): string {
  return doc(`
apiVersion: knp/v1alpha1
kind: Probe
metadata: {name: ${name}}
spec: {from: ${from}, to: "${to}"}
`);
}

function service(spec: string): string {
  return doc(`
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
${spec}`);
}

/** The YAML of one cell. */
export function cellYaml(plugin: Plugin, traffic: Traffic): string {
  const docs: string[] = [doc(`
apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: grid-${plugin}-${traffic}}
spec:
  network: ${networkSpec(plugin)}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
  externalHosts:
  - {name: ext-client, ip: 203.0.113.10, role: client}
  - {name: outside, ip: 203.0.113.20, ports: [80]}
`)];
  const webPorts = traffic === 'hostport' ? '{containerPort: 80, hostPort: 8080}' : '{containerPort: 80}';
  docs.push(pod('web-1', 'node-2', 'app: web', webPorts));
  docs.push(pod('client-1', 'node-1', 'app: client'));
  docs.push(pod('client-2', 'node-2', 'app: client'));
  switch (traffic) {
    case 'pod-to-pod':
      // A headless Service names the Pod's own address: no kube-proxy rules on the way.
      docs.push(doc(`
apiVersion: v1
kind: Service
metadata: {name: web-direct, namespace: default}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`));
      docs.push(probe('cross-node', 'pod/default/client-1', 'http://web-direct.default:80'));
      docs.push(probe('same-node', 'pod/default/client-2', 'http://web-direct.default:80'));
      docs.push(probe('cross-node-ping', 'pod/default/client-1', 'web-direct.default'));
      docs.push(probe('closed-port', 'pod/default/client-1', 'tcp://web-direct.default:81'));
      docs.push(probe('node-to-remote-pod', 'node/node-1', 'http://web-direct.default:80'));
      break;
    case 'clusterip':
      docs.push(service('  ports: [{port: 80, targetPort: 80}]\n'));
      docs.push(probe('cross-node', 'pod/default/client-1', 'http://web.default:80'));
      docs.push(probe('same-node', 'pod/default/client-2', 'http://web.default:80'));
      docs.push(probe('closed-service-port', 'pod/default/client-1', 'tcp://web.default:81'));
      break;
    case 'nodeport':
      docs.push(service('  type: NodePort\n  ports: [{port: 80, targetPort: 80, nodePort: 30080}]\n'));
      docs.push(probe('via-other-node', 'host/ext-client', 'http://192.168.1.11:30080'));
      docs.push(probe('via-endpoint-node', 'host/ext-client', 'http://192.168.1.12:30080'));
      docs.push(probe('from-pod-to-nodeport', 'pod/default/client-1', 'http://192.168.1.11:30080'));
      break;
    case 'hostport':
      docs.push(probe('hostport-from-outside', 'host/ext-client', 'http://192.168.1.12:8080'));
      docs.push(probe('hostport-from-pod', 'pod/default/client-1', 'http://192.168.1.12:8080'));
      docs.push(probe('other-node-not-published', 'host/ext-client', 'tcp://192.168.1.11:8080'));
      break;
    case 'externalips':
      docs.push(service('  externalIPs: [192.168.1.11]\n  ports: [{port: 8081, targetPort: 80}]\n'));
      docs.push(probe('external-ip-from-outside', 'host/ext-client', 'http://192.168.1.11:8081'));
      docs.push(probe('external-ip-from-pod', 'pod/default/client-2', 'http://192.168.1.11:8081'));
      break;
    case 'local-policy':
      docs.push(service('  type: NodePort\n  externalTrafficPolicy: Local\n  ports: [{port: 80, targetPort: 80, nodePort: 30081}]\n'));
      docs.push(probe('local-endpoint-keeps-client-ip', 'host/ext-client', 'http://192.168.1.12:30081'));
      docs.push(probe('no-local-endpoint-dropped', 'host/ext-client', 'http://192.168.1.11:30081'));
      break;
    case 'networkpolicy':
      docs.push(service('  ports: [{port: 80, targetPort: 80}]\n'));
      docs.push(pod('trusted', 'node-1', 'app: trusted'));
      docs.push(doc(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only-trusted, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: trusted}}}]
`));
      docs.push(probe('trusted-allowed', 'pod/default/trusted', 'http://web.default:80'));
      docs.push(probe('client-denied', 'pod/default/client-1', 'http://web.default:80'));
      break;
    case 'pod-to-outside':
      docs.push(probe('pod-to-outside', 'pod/default/client-1', 'http://203.0.113.20:80'));
      docs.push(probe('pod-to-outside-ping', 'pod/default/client-2', '203.0.113.20'));
      break;
  }
  return docs.join('---\n');
}

/**
 * kube-proxy in IPVS mode: this kernel has no IPVS, so the cell is compared only inside the
 * simulator, against its Probe objects' expectations.
 */
function ipvsCell(): GridCell {
  const yaml = cellYaml('flannel-vxlan', 'clusterip')
    .replace('  network: {plugin: flannel, backend: vxlan}\n', '  network: {plugin: flannel, backend: vxlan}\n  kubeProxy: {mode: ipvs}\n')
    .replace(/spec: \{from: (\S+), to: "http:\/\/web\.default:80"\}/g, 'spec: {from: $1, to: "http://web.default:80", expect: {verdict: delivered, responder: pod/default/web-1}}');
  return { name: 'grid/flannel-vxlan/clusterip-ipvs', plugin: 'flannel-vxlan', traffic: 'clusterip', needs: [...NEEDS.clusterip, 'kube-proxy-ipvs'], yaml };
}

/**
 * kube-proxy in nftables mode: the same cell, its Services served by the `ip kube-proxy` table;
 * the lab loads the simulator's `nft list ruleset` with `nft -f`, so the kernel runs our rules.
 */
function nftablesCell(traffic: 'clusterip' | 'nodeport'): GridCell {
  const yaml = cellYaml('flannel-vxlan', traffic).replace('  network: {plugin: flannel, backend: vxlan}\n', '  network: {plugin: flannel, backend: vxlan}\n  kubeProxy: {mode: nftables}\n');
  return { name: `grid/flannel-vxlan/${traffic}-nftables`, plugin: 'flannel-vxlan', traffic, needs: [...NEEDS[traffic], 'kube-proxy-nftables'], yaml };
}

/** The families an IPv6 cell runs: both (dual-stack, IPv4 first) or IPv6 only. */
export type Family6 = 'dual' | 'v6only';

/**
 * IPv6 cells: the grid's two nodes, Pods and web endpoint, in a dual-stack or an IPv6-only
 * cluster; every probe goes over IPv6 (a dual-stack cell also keeps one IPv4 probe, to show the
 * two families side by side). The web Pod is reached through a headless IPv6 Service, so its
 * address comes from the simulator's IPAM and both sides are held to the same Pod.
 *
 *   pod-to-pod      client-1 → web-1 across nodes (flannel-v6.1 over the IPv6 underlay, or the
 *                   bridge plugin's routes), client-2 → web-1 on one node's bridge, ping -6,
 *                   a closed TCP port (RST), a closed UDP port (ICMPv6 port unreachable from the
 *                   Pod), node-1 → an address nobody routes (ICMPv6 no route from the router),
 *                   a Pod → the same address (the router cannot answer: no route back to Pods).
 */
export function cell6Yaml(plugin: 'flannel-vxlan' | 'bridge', family: Family6): string {
  const dual = family === 'dual';
  const list = (v4: string, v6: string): string => (dual ? `[${v4}, "${v6}"]` : `["${v6}"]`);
  const docs: string[] = [doc(`
apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: grid6-${plugin}-${family}}
spec:
  podCIDR: ${list('10.244.0.0/16', 'fd00:10:244::/56')}
  serviceCIDR: ${list('10.96.0.0/12', 'fd00:10:96::/112')}
  underlayCIDR: ${list('192.168.1.0/24', 'fd00:192:168:1::/64')}
  network: ${networkSpec(plugin)}
  nodes:
  - {name: node-1, ip: ${list('192.168.1.11', 'fd00:192:168:1::11')}}
  - {name: node-2, ip: ${list('192.168.1.12', 'fd00:192:168:1::12')}}
`)];
  docs.push(pod('web-1', 'node-2', 'app: web', '{containerPort: 80}'));
  docs.push(pod('client-1', 'node-1', 'app: client'));
  docs.push(pod('client-2', 'node-2', 'app: client'));
  docs.push(doc(`
apiVersion: v1
kind: Service
metadata: {name: web6, namespace: default}
spec:
  clusterIP: None
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv6]
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`));
  docs.push(probe('cross-node', 'pod/default/client-1', 'http://web6.default:80'));
  docs.push(probe('same-node', 'pod/default/client-2', 'http://web6.default:80'));
  docs.push(probe('cross-node-ping', 'pod/default/client-1', 'web6.default'));
  docs.push(probe('closed-port', 'pod/default/client-1', 'tcp://web6.default:81'));
  docs.push(probe('closed-udp-port', 'pod/default/client-1', 'udp://web6.default:5353'));
  docs.push(probe('node-no-route', 'node/node-1', 'fd00:99::1'));
  docs.push(probe('pod-no-route-back', 'pod/default/client-1', 'fd00:99::1'));
  if (dual) docs.push(probe('cross-node-v4', 'pod/default/client-1', 'http://10.244.1.3:80'));
  return docs.join('---\n');
}

/**
 * An IPv6 ClusterIP: the same cluster with the web Service given a clusterIP of each family
 * (PreferDualStack, IPv6 first in an IPv6-only cluster), so a Pod's connection to the IPv6
 * clusterIP is DNATed by kube-proxy's ip6tables rules (loaded into the lab with
 * ip6tables-restore) and reverse-NATed on the way back, across nodes and on one node.
 */
export function cell6ClusterIPYaml(plugin: 'flannel-vxlan' | 'bridge', family: Family6): string {
  const policy = family === 'dual'
    ? 'ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv6, IPv4]\n  clusterIP: "fd00:10:96::80"\n  clusterIPs: ["fd00:10:96::80", 10.96.0.80]'
    : 'ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv6]\n  clusterIP: "fd00:10:96::80"\n  clusterIPs: ["fd00:10:96::80"]';
  const base = cell6Yaml(plugin, family).split('---\n').filter((d) => !/kind: Probe/.test(d));
  base.push(doc(`
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  ${policy}
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`));
  // By name over IPv6 where A records do not exist; by the IPv6 clusterIP where curl would ask A first.
  const to = family === 'dual' ? 'http://[fd00:10:96::80]:80' : 'http://web.default:80';
  base.push(probe('cross-node', 'pod/default/client-1', to));
  base.push(probe('same-node', 'pod/default/client-2', to));
  if (family === 'dual') base.push(probe('cross-node-v4', 'pod/default/client-1', 'http://10.96.0.80:80'));
  return base.join('---\n');
}

/** The IPv6 cells: the bridge plugin (IPv6 only), flannel's vxlan backend with flannel-v6.1 (dual-stack and IPv6 only), and an IPv6 ClusterIP over flannel. */
export function grid6(): GridCell[] {
  const cells: [('flannel-vxlan' | 'bridge'), Family6][] = [['bridge', 'v6only'], ['flannel-vxlan', 'dual'], ['flannel-vxlan', 'v6only']];
  const six: readonly Area[] = ['lab-ipv6'];
  return [
    ...cells.map(([plugin, family]): GridCell => ({ name: `grid6/${plugin}/pod-to-pod-${family}`, plugin, traffic: 'pod-to-pod' as const, needs: [...BASE, ...six], yaml: cell6Yaml(plugin, family) })),
    { name: 'grid6/flannel-vxlan/clusterip-v6only', plugin: 'flannel-vxlan', traffic: 'clusterip' as const, needs: [...NEEDS.clusterip, ...six], yaml: cell6ClusterIPYaml('flannel-vxlan', 'v6only') },
    { name: 'grid6/flannel-vxlan/clusterip-dual', plugin: 'flannel-vxlan', traffic: 'clusterip' as const, needs: [...NEEDS.clusterip, ...six], yaml: cell6ClusterIPYaml('flannel-vxlan', 'dual') },
  ];
}

export function grid(): GridCell[] {
  const cells: GridCell[] = [ipvsCell(), nftablesCell('clusterip'), nftablesCell('nodeport'), ...grid6()];
  for (const plugin of PLUGINS) {
    for (const traffic of TRAFFIC) {
      const needs = [...NEEDS[traffic]];
      if (traffic === 'networkpolicy' && plugin !== 'calico' && plugin !== 'weave') {
        // flannel and the bridge plugin do not enforce NetworkPolicy: both sides must deliver.
        needs.splice(needs.indexOf('network-policy'), 1);
      }
      if (plugin === 'calico') needs.push('ci-ipset');
      // weave-npc's rules match ipsets too; fastdp is rebuilt by the lab (lab-weave).
      if (plugin === 'weave') needs.push('ci-ipset', 'lab-weave');
      if (plugin === 'weave' && traffic !== 'pod-to-pod' && traffic !== 'local-policy') needs.push('weave-host-path');
      cells.push({ name: `grid/${plugin}/${traffic}`, plugin, traffic, needs, yaml: cellYaml(plugin, traffic) });
    }
  }
  return cells;
}

export const ready = (needs: readonly Area[]): boolean => needs.every((a) => LANDED.has(a));
