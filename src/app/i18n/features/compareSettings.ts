/** Strings for comparing the same YAML under two settings (issue 14, the compare view). */
import { bilingual } from './index';

export const compareSettings = bilingual({
  compareSettings: {
    mode: 'Compare', versions: 'two versions', setting: 'one setting changed',
    which: 'Setting', to: 'changed to', now: 'as written: {{value}}',
    hint: 'Left: your work as it is. Right: the same YAML and terminal commands with only this setting changed.',
    none: 'This scenario has no setting to change (the YAML does not parse).',
    ids: {
      kubeProxyMode: 'kube-proxy mode', network: 'network plugin / backend',
      externalTrafficPolicy: 'externalTrafficPolicy (NodePort and LoadBalancer Services)', networkPolicies: 'NetworkPolicies',
    },
    values: { on: 'on', off: 'off (removed)' },
  },
}, {
  compareSettings: {
    mode: '比较', versions: '两个版本', setting: '只改一项设置',
    which: '设置', to: '改为', now: '当前写的是：{{value}}',
    hint: '左边：你现在的工作。右边：同样的 YAML 和终端命令，只改了这一项设置。',
    none: '这个场景没有可以改的设置（YAML 无法解析）。',
    ids: {
      kubeProxyMode: 'kube-proxy 模式', network: '网络插件 / 后端',
      externalTrafficPolicy: 'externalTrafficPolicy（NodePort 和 LoadBalancer 类型的 Service）', networkPolicies: 'NetworkPolicy',
    },
    values: { on: '开启', off: '关闭（移除）' },
  },
});
