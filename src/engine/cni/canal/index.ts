/** Canal as one plugin: flannel's vxlan, flanneld's rules and files, Calico's veths, DaemonSet and policy. */
import { calicoSystemObjects } from '../calico/index';
import { installPolicyRules } from '../calico/policy';
import { calicoTools } from '../calico/tools';
import { flannelAnnotations, flannelNodeFile, FLANNEL_CONDITION } from '../flannel/index';
import { writeFlannelRules } from '../flannel/hostrules';
import type { CniPlugin } from '../plugin';
import { canalPlugin } from './plugin';

export const canal: CniPlugin = {
  id: 'canal',
  backends: ['vxlan', 'udp', 'host-gw'],
  enforcesPolicy: true,
  conflistName: 'k8s-pod-network',
  conflistFile: '10-canal.conflist',
  conflist: () => ({ name: 'k8s-pod-network', cniVersion: '0.3.1', plugins: [{ type: 'calico', log_level: 'info', datastore_type: 'kubernetes', mtu: 0, ipam: { type: 'host-local', subnet: 'usePodCidr' }, policy: { type: 'k8s' }, kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } }, { type: 'portmap', capabilities: { portMappings: true } }, { type: 'bandwidth', capabilities: { bandwidth: true } }] }),
  datapath: canalPlugin,
  systemObjects: calicoSystemObjects,
  writeHostRules: (rs, model, node) => writeFlannelRules(rs, model.spec.podCIDR, node.podCIDR, model.spec.kernel.randomFully),
  ipsets: () => [],
  installPolicy: installPolicyRules,
  nodeFile: (model, node, path) => flannelNodeFile(model, node, path, 'vxlan'),
  nodeAnnotations: flannelAnnotations,
  networkCondition: FLANNEL_CONDITION,
  // calico-node runs without BIRD in canal: flannel carries the routes.
  tools: calicoTools(() => false),
};
