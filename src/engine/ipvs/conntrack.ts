/**
 * IPVS and conntrack. kube-proxy's IPVS mode sets net.ipv4.vs.conntrack=1, so when IPVS picks a
 * real server for a new connection it rewrites the conntrack entry's REPLY tuple
 * (ip_vs_update_conntrack): from then on the entry looks exactly like an iptables DNAT, so the
 * POSTROUTING MASQUERADE (KUBE-POSTROUTING) finds it and replies are translated back by
 * conntrack as well as by IPVS.
 *
 *   client → VIP:80  ──IPVS (LOCAL_IN)──►  client → 10.244.2.3:8080
 *   conntrack entry:  orig  client → VIP:80
 *                     reply 10.244.2.3:8080 → client
 */
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import { bindDst } from '../conntrack/nat';
import { conntrackOf, findForPacket } from '../conntrack/table';
import type { CtRef } from '../conntrack/types';

/**
 * Records an IPVS real-server choice on the connection `packet` (as it was before IPVS rewrote
 * it) belongs to in `ns`. Returns the entry reference, or undefined when the namespace tracks no
 * such connection (no netfilter state, or the packet was never seen at PREROUTING/OUTPUT).
 */
export function ipvsBindConntrack(ns: NetNs, packet: Packet, realIp: string, realPort: number, now: number): CtRef | undefined {
  if (!ns.netfilter) return undefined;
  const t = conntrackOf(ns);
  const found = findForPacket(t, packet, now);
  if (!found || found.ref.dir !== 'original') return found?.ref;
  const e = found.entry;
  if (!e.dstNat) {
    bindDst(t, e, realIp, realPort);
    e.natDoneDst = true;
    e.natBy = `IPVS ${e.orig.dst}:${e.orig.dport} → ${realIp}:${realPort}`;
  }
  return found.ref;
}
