/**
 * Canal: Calico's Pod wiring (cali veths, /32 routes, proxy ARP) on each node, flannel's vxlan
 * between nodes, Calico's Felix enforcing NetworkPolicy.
 */
import type { BuildCtx } from '../../net/context';
import { wireCalicoPod } from '../calico/plugin';
import { connectFlannelPeer, setupFlannelDevices } from '../flannel/plugin';
import type { CniDatapath } from '../plugin';

/** Canal: Calico's veths and /32 routes on each node, flannel's vxlan between nodes. */
export function canalPlugin(ctx: BuildCtx): CniDatapath {
  const mtu = ctx.model.spec.network.mtu - 50;
  return {
    name: 'canal',
    podMtu: mtu,
    setupNode: (c, _u, node) => setupFlannelDevices(c, 'vxlan', node),
    addPod: (c, node, pod, podNs) => wireCalicoPod(c, node, pod, podNs, mtu),
    connectPeers: (c, _u, node, peers) => { for (const p of peers) if (p !== node) connectFlannelPeer(c, 'vxlan', node, p); },
  };
}
