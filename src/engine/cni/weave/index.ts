/**
 * Weave Net as one plugin: the datapath (plugin.ts: the weave bridge, fastdp's datapath and
 * vxlan-6784, or sleeve's vethwe-pcap), its IPAM ring (ipam.ts), the WEAVE masquerade chain and
 * weave-npc's NetworkPolicy chains and ipsets (hostrules.ts, policy.ts), the weave-net DaemonSet
 * and the `weave` script (tools.ts), sleeve's user-space forwarding (sleeve.ts).
 */
import { formatPrefix } from '../../addr/ip';
import type { ClusterSpec } from '../../scenario/schema/knp';
import type * as In from '../../scenario/schema/k8s';
import { chooseBackend } from '../backend';
import type { CniPlugin, CniSystemObjects } from '../plugin';
import { writeWeaveRules } from './hostrules';
import { weaveAllocRange, weaveIpam } from './ipam';
import { weaveDatapath, type WeaveBackend } from './plugin';
import { npcIpsets, writeNpcRules } from './policy';
import { weaveUserspace } from './sleeve';
import { weaveTools, WEAVE_VERSION } from './tools';

export const WEAVE_CONDITION = '  NetworkUnavailable\tFalse\tWeaveIsUp\tWeave pod has set this';

const BACKENDS: readonly WeaveBackend[] = ['fastdp', 'sleeve'];

function systemObjects(spec: ClusterSpec): CniSystemObjects {
  const env: { name: string; value?: string; valueFrom?: unknown }[] = [
    { name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    { name: 'IPALLOC_RANGE', value: formatPrefix(weaveAllocRange(spec)) },
    ...(spec.network.backend === 'sleeve' ? [{ name: 'WEAVE_NO_FASTDP', value: '1' }] : []),
    ...(spec.network.encryption ? [{ name: 'WEAVE_PASSWORD', valueFrom: { secretKeyRef: { name: 'weave-passwd', key: 'weave-passwd' } } }] : []),
  ];
  const ds = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'weave-net', namespace: 'kube-system', labels: { name: 'weave-net' } },
    spec: {
      selector: { matchLabels: { name: 'weave-net' } },
      template: {
        metadata: { labels: { name: 'weave-net' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
          containers: [
            { name: 'weave', image: `weaveworks/weave-kube:${WEAVE_VERSION}`, command: ['/home/weave/launch.sh'], env },
            { name: 'weave-npc', image: `weaveworks/weave-npc:${WEAVE_VERSION}`, env: [env[0]!] },
          ],
        },
      },
    },
  } as unknown as In.DaemonSetIn;
  return { namespaces: [], daemonSets: [ds] };
}

export const weave: CniPlugin = {
  id: 'weave',
  backends: BACKENDS,
  enforcesPolicy: true,
  conflistName: 'weave',
  conflistFile: '10-weave.conflist',
  conflist: () => ({ cniVersion: '0.3.0', name: 'weave', plugins: [{ name: 'weave', type: 'weave-net', hairpinMode: true }, { type: 'portmap', capabilities: { portMappings: true }, snat: true }] }),
  datapath: (ctx) => weaveDatapath(ctx, chooseBackend(ctx, BACKENDS, 'fastdp')),
  systemObjects,
  writeHostRules: (rs, model) => {
    writeWeaveRules(rs, formatPrefix(weaveAllocRange(model.spec)));
    writeNpcRules(rs, model);
  },
  ipsets: npcIpsets,
  // weave-npc's rules are part of the node's ruleset (writeHostRules), rewritten on every sync.
  installPolicy: () => [],
  nodeFile: () => null,
  nodeAnnotations: () => ({}),
  networkCondition: WEAVE_CONDITION,
  // weave-npc has no IPv6: an IPv6 ipBlock is left out of its rules (policy-ipv6-unsupported says so).
  ipv6Policy: false,
  ipam: weaveIpam,
  // spec.network.encryption: a password shared by the peers (another plugin ignores it, and knp check says so).
  settings: ['encryption'],
  tools: weaveTools,
  // sleeve: weaver captures vethwe-pcap and tunnels in UDP 6783 from user space (sleeve.ts).
  userspace: weaveUserspace,
};
