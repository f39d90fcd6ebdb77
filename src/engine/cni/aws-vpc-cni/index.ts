/**
 * AWS VPC CNI (amazon-vpc-cni-k8s) as one plugin: Pods take VPC addresses, secondary IPs of the
 * node's ENIs (eni.ts: instance types, the ENI layout, max Pods), wired by plugin.ts (eni*
 * veths, /32 routes, per-ENI route tables and policy rules, the VPC fabric), with ipamd's SNAT
 * and CONNMARK rules (hostrules.ts) and the aws-node DaemonSet. It enforces no NetworkPolicy
 * (the optional network policy agent is not modelled).
 */
import type * as In from '../../scenario/schema/k8s';
import type { CniNodeIpam, CniPlugin, CniSystemObjects } from '../plugin';
import { eniLayout, maxPods } from './eni';
import { writeAwsRules } from './hostrules';
import { awsVpcDatapath } from './plugin';

export const AWS_NODE_IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.3';

function systemObjects(): CniSystemObjects {
  const ds: In.DaemonSetIn = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'aws-node', namespace: 'kube-system', labels: { 'k8s-app': 'aws-node' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'aws-node' } },
      template: {
        metadata: { labels: { 'k8s-app': 'aws-node' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          containers: [{ name: 'aws-node', image: AWS_NODE_IMAGE }],
        },
      },
    },
  };
  return { namespaces: [], daemonSets: [ds] };
}

export const awsVpcCni: CniPlugin = {
  id: 'aws-vpc-cni',
  backends: ['none'],
  enforcesPolicy: false,
  conflistName: 'aws-cni',
  conflistFile: '10-aws.conflist',
  conflist: (model) => ({
    cniVersion: '0.4.0', name: 'aws-cni', disableCheck: true,
    plugins: [
      { name: 'aws-cni', type: 'aws-cni', vethPrefix: 'eni', mtu: String(model.spec.network.mtu), podSGEnforcingMode: 'strict', pluginLogFile: '/var/log/aws-routed-eni/plugin.log', pluginLogLevel: 'DEBUG' },
      { name: 'egress-cni', type: 'egress-cni', mtu: String(model.spec.network.mtu), enabled: 'false', randomizeSNAT: 'prng', nodeIP: '', ipam: { type: 'host-local', ranges: [[{ subnet: 'fd00::ac:00/118' }]], routes: [{ dst: '::/0' }], dataDir: '/run/cni/v4pd/egress-v6-ipam' }, pluginLogFile: '/var/log/aws-routed-eni/egress-v6-plugin.log', pluginLogLevel: 'DEBUG' },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  }),
  datapath: awsVpcDatapath,
  systemObjects,
  writeHostRules: (rs, model, node) => writeAwsRules(rs, model.spec.underlayCIDR, node.ip, model.spec.kernel.randomFully),
  ipsets: () => [],
  installPolicy: () => [],
  nodeFile: () => null,
  nodeAnnotations: () => ({}),
  networkCondition: '',
  settings: ['instanceType'],
  ipam: (spec, nodes) => {
    const layout = eniLayout(spec, nodes);
    const max = maxPods(spec);
    const out = new Map<string, CniNodeIpam>();
    for (const n of nodes) out.set(n.name, { addresses: (layout.get(n.name) ?? []).flatMap((e) => e.secondaries), maxPods: max });
    return out;
  },
};
