/**
 * Files the network layer writes on a machine: /run/flannel/subnet.env (flanneld's lease, read
 * by the flannel CNI plugin) on every node of a flannel or canal cluster.
 */
import type { Sim } from '../sim';
import type { Target } from '../shell/types';
import { flannelMtu, flannelSubnetEnv, type FlannelBackend } from './flannel/plugin';

export function netFile(sim: Sim, target: Target, path: string): string | null {
  if (path !== '/run/flannel/subnet.env' || target.kind !== 'node') return null;
  const spec = sim.model.spec;
  const plugin = spec.network.plugin;
  if (plugin !== 'flannel' && plugin !== 'canal') return null;
  const node = sim.model.nodes.find((n) => n.name === target.name);
  if (!node) return null;
  const b = spec.network.backend;
  const backend: FlannelBackend = plugin === 'flannel' && (b === 'udp' || b === 'host-gw') ? b : 'vxlan';
  return flannelSubnetEnv(spec.podCIDR, node, flannelMtu(backend, spec.network.mtu));
}
