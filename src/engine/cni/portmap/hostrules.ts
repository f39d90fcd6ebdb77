/**
 * The CNI portmap plugin: how a Pod's `hostPort` works. kubelet hands the port mappings to the
 * CNI chain at sandbox creation; portmap writes, in the nat table:
 *
 *   PREROUTING/OUTPUT -m addrtype --dst-type LOCAL ─► CNI-HOSTPORT-DNAT
 *     ─► (per sandbox, multiport on its host ports) CNI-DN-<sha512(net+id)[:21]>
 *          ├─ hairpin (source in the Pod's subnet) and localhost ─► CNI-HOSTPORT-SETMARK (mark 0x2000)
 *          └─ -j DNAT --to-destination podIP:containerPort
 *   POSTROUTING (prepended) ─► CNI-HOSTPORT-MASQ: MASQUERADE what SETMARK marked
 */
import { formatPrefix, parsePrefix } from '../../addr/ip';
import type { PodModel } from '../../model/cluster';
import { sha256, sha512, toHex } from '../../util/sha256';
import type { Ruleset } from '../../netfilter/ruleset';

/** portmap's default markMasqBit. */
export const PORTMAP_MASQ_BIT = 13;

/** utils.FormatChainName: "CNI-" + prefix + the SHA-512 hex of name+id, cut to 28 characters. */
export function cniChainName(prefix: string, netName: string, containerID: string): string {
  const head = `CNI-${prefix}`;
  return head + toHex(sha512(netName + containerID)).slice(0, 28 - head.length);
}

/** The Pod sandbox (pause container) id the runtime would report: 64 hex digits, stable per Pod uid. */
export function sandboxID(pod: PodModel): string {
  return toHex(sha256(`sandbox:${pod.meta.uid}`));
}

export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIP: string;
}

export function podPortMappings(pod: PodModel): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.containers) {
    for (const p of c.ports) {
      if (!p.hostPort) continue;
      out.push({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol.toLowerCase(), hostIP: p.hostIP && p.hostIP !== '0.0.0.0' ? p.hostIP : '' });
    }
  }
  return out;
}

/** Splits ports into groups of 15 (multiport's limit), comma-joined, in order. */
function portGroups(ports: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ports.length; i += 15) out.push(ports.slice(i, i + 15).join(','));
  return out;
}

/** Writes the rules for every hostPort Pod on the node (in Pod creation order). */
export function writePortmapRules(rs: Ruleset, pods: readonly PodModel[], netName: string, podCIDR: string): void {
  const withPorts = pods.filter((p) => !p.hostNetwork && p.podIP && podPortMappings(p).length > 0);
  if (withPorts.length === 0) return;
  const bit = 1 << PORTMAP_MASQ_BIT;
  const mark = `0x${bit.toString(16)}/0x${bit.toString(16)}`;
  rs.chain('nat', 'CNI-HOSTPORT-SETMARK');
  rs.append('nat', 'CNI-HOSTPORT-SETMARK', `-m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark ${mark}`);
  rs.chain('nat', 'CNI-HOSTPORT-MASQ');
  rs.append('nat', 'CNI-HOSTPORT-MASQ', `-m mark --mark ${mark} -j MASQUERADE`);
  rs.prepend('nat', 'POSTROUTING', '-m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ');
  rs.chain('nat', 'CNI-HOSTPORT-DNAT');
  rs.append('nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT');
  rs.append('nat', 'OUTPUT', '-m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT');

  const subnet = parsePrefix(podCIDR, true);
  for (const pod of [...withPorts].sort((a, b) => a.meta.createdIndex - b.meta.createdIndex)) {
    const id = sandboxID(pod);
    const chain = cniChainName('DN-', netName, id);
    const maps = podPortMappings(pod);
    const comment = `dnat name: \\"${netName}\\" id: \\"${id}\\"`;
    rs.chain('nat', chain);
    const protos = [...new Set(maps.map((m) => m.protocol))].sort();
    for (const proto of protos) {
      for (const group of portGroups(maps.filter((m) => m.protocol === proto).map((m) => m.hostPort))) {
        rs.append('nat', 'CNI-HOSTPORT-DNAT', `-p ${proto} -m comment --comment "${comment}" -m multiport --dports ${group} -j ${chain}`);
      }
    }
    const containerNet = subnet ? formatPrefix(subnet) : `${pod.podIP}/32`;
    for (const m of maps) {
      const base = `-p ${m.protocol} -m ${m.protocol} --dport ${m.hostPort}`;
      const dst = m.hostIP ? `-d ${m.hostIP}/32 ` : '';
      rs.append('nat', chain, `${dst}-s ${containerNet} ${base} -j CNI-HOSTPORT-SETMARK`);
      rs.append('nat', chain, `${dst}-s 127.0.0.1/32 ${base} -j CNI-HOSTPORT-SETMARK`);
      rs.append('nat', chain, `${dst}${base} -j DNAT --to-destination ${pod.podIP}:${m.containerPort}`);
    }
  }
}
