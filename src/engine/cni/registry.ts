/**
 * The network plugins by `spec.network.plugin`. The one place that knows every plugin: the rest
 * of the engine asks `cniOf(spec)` and talks to the CniPlugin interface (cni/plugin.ts).
 */
import type { NetworkPlugin } from '../scenario/schema/knp';
import { awsVpcCni } from './aws-vpc-cni/index';
import { bridge } from './bridge/index';
import { calico } from './calico/index';
import { canal } from './canal/index';
import { cilium } from './cilium/index';
import { flannel } from './flannel/index';
import { kubeRouter } from './kube-router/index';
import { weave } from './weave/index';
import type { CniPlugin } from './plugin';

export const CNI_PLUGINS: Readonly<Record<NetworkPlugin, CniPlugin>> = { flannel, calico, canal, bridge, 'kube-router': kubeRouter, weave, 'aws-vpc-cni': awsVpcCni, cilium };

/** The plugin a Cluster runs. */
export function cniOf(spec: { readonly network: { readonly plugin: NetworkPlugin } }): CniPlugin {
  return CNI_PLUGINS[spec.network.plugin];
}

/** The plugins that enforce NetworkPolicy over IPv6 too (`ipv6Policy: true`), by name. */
export function ipv6PolicyPlugins(): NetworkPlugin[] {
  return Object.values(CNI_PLUGINS).filter((p) => p.enforcesPolicy && p.ipv6Policy === true).map((p) => p.id).sort();
}

/** The plugins whose data plane enforces NetworkPolicy (`enforcesPolicy`), by name. */
export function policyEnforcingPlugins(): NetworkPlugin[] {
  return Object.values(CNI_PLUGINS).filter((p) => p.enforcesPolicy).map((p) => p.id).sort();
}
