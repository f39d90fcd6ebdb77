/**
 * The cloud load balancer in front of LoadBalancer Services, as a NAT balancer (an instance-mode
 * network load balancer) does it: traffic for an EXTERNAL-IP and Service port is spread over the
 * nodes' NodePorts and masqueraded, so the node's answer comes back through the balancer.
 *
 *   client ──► EXTERNAL-IP:port ─[PREROUTING DNAT]─► nodeIP:nodePort ─[POSTROUTING MASQUERADE]─► node
 *
 * With `externalTrafficPolicy: Local` only the nodes whose kube-proxy health check
 * (healthCheckNodePort, k8s/kubeproxy/healthcheck.ts) answers 200 are used, each rule saying
 * what the check answered. Written as iptables-restore text like every other rule writer.
 */
import type { ClusterModel, ServiceModel } from '../model/cluster';
import { hashString } from '../util/rand';
import { serviceHealth } from './kubeproxy/healthcheck';
import { probability } from './kubeproxy/names';
import { Ruleset, type WrittenRuleset } from '../netfilter/ruleset';

const TOP = 'CLOUD-LB';

const chainOf = (key: string): string => `CLOUD-LB-${(hashString(key) >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** The Services the cluster's balancer serves: every LoadBalancer one with an EXTERNAL-IP, by name. */
function served(model: ClusterModel): ServiceModel[] {
  return model.services
    .filter((s) => s.type === 'LoadBalancer' && s.loadBalancerIngress.length > 0)
    .sort((a, b) => `${a.meta.namespace}/${a.meta.name}`.localeCompare(`${b.meta.namespace}/${b.meta.name}`));
}

export function writeCloudLbRules(rs: Ruleset, model: ClusterModel): void {
  rs.as('cloud-lb').touch('nat').touch('filter');
  rs.chain('nat', TOP);
  rs.append('nat', 'PREROUTING', `-m comment --comment "cloud load balancer" -j ${TOP}`);
  for (const svc of served(model)) {
    const name = `${svc.meta.namespace}/${svc.meta.name}`;
    for (const p of svc.ports) {
      if (!p.nodePort) continue;
      const proto = p.protocol.toLowerCase();
      let nodes = model.nodes.map((n) => ({ node: n, note: '' }));
      if (svc.externalTrafficPolicy === 'Local' && svc.healthCheckNodePort) {
        nodes = model.nodes.map((n) => {
          const h = serviceHealth(model, svc, n.name);
          return { node: n, note: ` healthz ${n.ip}:${svc.healthCheckNodePort} ${h.code} localEndpoints=${h.localEndpoints}`, code: h.code };
        }).filter((x) => x.code === 200);
      }
      const port = `${name}:${p.name || p.port}`;
      for (const vip of svc.loadBalancerIngress) {
        const chain = chainOf(`${vip}|${port}|${proto}`);
        rs.chain('nat', chain);
        const what = nodes.length ? chain : 'DROP';
        rs.append('nat', TOP, `-d ${vip}/32 -p ${proto} -m comment --comment "${port}${nodes.length ? '' : ' has no healthy node'}" -m ${proto} --dport ${p.port} -j ${what}`);
        nodes.forEach((x, i) => {
          const stat = i < nodes.length - 1 ? ` -m statistic --mode random --probability ${probability(nodes.length - i)}` : '';
          rs.append('nat', chain, `-p ${proto} -m comment --comment "${port} -> node ${x.node.name}${x.note}" -m ${proto}${stat} -j DNAT --to-destination ${x.node.ip}:${p.nodePort}`);
        });
      }
    }
  }
  rs.append('nat', 'POSTROUTING', '-m conntrack --ctstate DNAT -m comment --comment "cloud load balancer: answers come back through it" -j MASQUERADE');
}

/** The iptables-restore text of a load balancer host, with each line's writer. */
export function buildCloudLbRuleset(model: ClusterModel): WrittenRuleset {
  const rs = new Ruleset();
  writeCloudLbRules(rs, model);
  return rs.written();
}
