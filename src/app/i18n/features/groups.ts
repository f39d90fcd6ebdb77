/** Strings of the cluster view's Pod groups (a large cluster's Pods, per node and namespace). */
import { bilingual } from './index';

export const groups = bilingual(
  {
    groups: {
      count: '{{count}} Pods',
      running: '{{running}} of {{count}} running',
      expand: '{{count}} Pods of {{namespace}} on {{node}}: click to draw them',
      collapse: 'Click to fold the {{count}} Pods of {{namespace}} on {{node}} back into this box',
    },
  },
  {
    groups: {
      count: '{{count}} 个 Pod',
      running: '{{count}} 个中 {{running}} 个在运行',
      expand: '{{node}} 上 {{namespace}} 的 {{count}} 个 Pod：点击展开逐个显示',
      collapse: '点击把 {{node}} 上 {{namespace}} 的 {{count}} 个 Pod 收回这个方框',
    },
  },
);
