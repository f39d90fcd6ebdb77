/** Canal as one plugin: flannel's vxlan, flanneld's rules and files, Calico's veths, DaemonSet and policy. */
import { calicoSystemObjects } from '../calico/index';
import { installPolicyRules } from '../calico/policy';
import { flannelAnnotations, flannelNodeFile, FLANNEL_CONDITION } from '../flannel/index';
import { writeFlannelRules } from '../flannel/hostrules';
import type { CniPlugin } from '../plugin';
import { canalPlugin } from './plugin';

export const canal: CniPlugin = {
  id: 'canal',
  backends: ['vxlan', 'udp', 'host-gw'],
  enforcesPolicy: true,
  conflistName: 'k8s-pod-network',
  datapath: canalPlugin,
  systemObjects: calicoSystemObjects,
  writeHostRules: (rs, model, node) => writeFlannelRules(rs, model.spec.podCIDR, node.podCIDR, model.spec.kernel.randomFully),
  ipsets: () => [],
  installPolicy: installPolicyRules,
  nodeFile: (model, node, path) => flannelNodeFile(model, node, path, 'vxlan'),
  nodeAnnotations: flannelAnnotations,
  networkCondition: FLANNEL_CONDITION,
};
