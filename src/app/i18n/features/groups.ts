/** Strings of the cluster view's groups (a large cluster's Pods per node and namespace, Services per namespace) and of a machine's summary seen from far away. */
import { bilingual } from './index';

export const groups = bilingual(
  {
    groups: {
      count: '{{count}} Pods',
      running: '{{running}} of {{count}} running',
      expand: '{{count}} Pods of {{namespace}} on {{node}}: click to draw them',
      collapse: 'Click to fold the {{count}} Pods of {{namespace}} on {{node}} back into this box',
      svcCount: '{{count}} Services',
      svcShown: '{{count}} drawn beside (a trace uses them)',
      svcExpand: '{{count}} Services of {{namespace}}: click or zoom in to draw them',
      svcCollapse: 'Click to fold the {{count}} Services of {{namespace}} back into this box',
    },
    machine: {
      controlPlane: 'control plane',
      podCIDR: 'Pod range',
      pods_one: '{{count}} Pod, {{running}} running',
      pods_other: '{{count}} Pods, {{running}} running',
      devices: 'devices',
    },
  },
  {
    groups: {
      count: '{{count}} 个 Pod',
      running: '{{count}} 个中 {{running}} 个在运行',
      expand: '{{node}} 上 {{namespace}} 的 {{count}} 个 Pod：点击展开逐个显示',
      collapse: '点击把 {{node}} 上 {{namespace}} 的 {{count}} 个 Pod 收回这个方框',
      svcCount: '{{count}} 个 Service',
      svcShown: '其中 {{count}} 个单独显示（被追踪用到）',
      svcExpand: '{{namespace}} 的 {{count}} 个 Service：点击或放大以逐个显示',
      svcCollapse: '点击把 {{namespace}} 的 {{count}} 个 Service 收回这个方框',
    },
    machine: {
      controlPlane: '控制平面',
      podCIDR: 'Pod 网段',
      pods_one: '{{count}} 个 Pod，{{running}} 个在运行',
      pods_other: '{{count}} 个 Pod，{{running}} 个在运行',
      devices: '设备',
    },
  },
);
