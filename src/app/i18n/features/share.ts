/** Strings for autosave, history, share links, embed and exports (issue 14). */
import { bilingual } from './index';

export const share = bilingual({
  share: {
    history: 'History', historyTitle: 'Saved versions', historyHint: 'Your work is saved in this browser as you go. Restoring a version keeps the current one in the list.',
    restore: 'Restore', current: 'current', empty: 'Nothing saved yet.', commands_one: '{{count}} command', commands_other: '{{count}} commands',
    source: { edit: 'your edit', link: 'opened link', file: 'opened file' },
    close: 'Close', openFile: 'Open .knp file…',
    saved: 'Saved', notSaved: 'Not saved',
    storage: {
      unavailable: 'This browser does not let the playground save (private window or storage turned off). Everything works, but a reload loses your work: use Share or a .knp file to keep it.',
      full: 'Browser storage is full, so your latest changes are not saved. Everything still works; free some space or use Share / a .knp file to keep your work.',
    },
    linkError: {
      corrupt: 'This link is damaged or cut short, so nothing was opened. Your work is unchanged. Ask for the link again (copy it whole).',
      'newer-version': 'This link was made by a newer version of the playground, so nothing was opened. Your work is unchanged. Reload the page to get the latest version.',
      invalid: 'This link does not contain a playground state, so nothing was opened. Your work is unchanged.',
      'no-link': 'There is no playground state here, so nothing was opened. Your work is unchanged.',
    },
    tooLong: 'This moment is too large for a link ({{size}} characters). Download it as a .knp file instead, and open it from History.',
    downloadKnp: 'Download .knp', copied: 'Link copied', copyFailed: 'Link ready in the address bar',
    exports: 'Export', png: 'PNG image (2×)', svg: 'SVG image', pcap: 'Packet capture (pcap)', markdown: 'Story as Markdown', nothingSent: 'Send a packet first: there is no trace to export.',
    embedOpen: 'Open in the playground',
    reach: {
      button: 'Matrix', title: 'Pod-to-Pod reachability', port: 'Port', protocol: 'Protocol', fromTo: 'from ↓ to →',
      hint: 'Each cell is a packet from the row\'s Pod to the column\'s Pod. Click one to send it and read its trace.',
      walk: '(decided by walking each packet through the network)', evaluator: '(decided by evaluating the NetworkPolicies)',
      none: 'No running Pods to compare.', allowed: 'reaches the Pod', denied: 'does not reach the Pod',
    },
    compare: {
      button: 'Compare', title: 'Compare', base: 'Compare from', current: 'current work', yamlOnly: 'the YAML without terminal changes',
      withSend: 'trace the Send form\'s packet', same: 'No difference in routes, rules, reachability or the trace.',
      trace: 'Trace', reach: 'Reachability {{protocol}}/{{port}}', noChange: 'No cell changed.', unchanged: 'Unchanged: {{list}}',
      allowed: 'allowed', denied: 'denied', absent: 'absent',
    },
    md: { title: 'Packet trace', verdict: 'Verdict', path: 'Path', replyPath: 'Reply path', events: 'Events', scenario: 'Scenario', story: 'Story' },
  },
}, {
  share: {
    history: '历史', historyTitle: '已保存的版本', historyHint: '你的修改会随时保存在本浏览器中。恢复某个版本时，当前版本仍保留在列表里。',
    restore: '恢复', current: '当前', empty: '还没有保存的内容。', commands_one: '{{count}} 条命令', commands_other: '{{count}} 条命令',
    source: { edit: '你的编辑', link: '打开的链接', file: '打开的文件' },
    close: '关闭', openFile: '打开 .knp 文件…',
    saved: '已保存', notSaved: '未保存',
    storage: {
      unavailable: '此浏览器不允许演练场保存数据（无痕窗口或存储已关闭）。一切仍可使用，但刷新会丢失修改：请用“分享”或 .knp 文件保存。',
      full: '浏览器存储已满，最近的修改没有保存。一切仍可使用；请释放空间，或用“分享”/.knp 文件保存你的工作。',
    },
    linkError: {
      corrupt: '此链接已损坏或不完整，没有打开任何内容，你的工作保持不变。请重新获取完整的链接。',
      'newer-version': '此链接由更新版本的演练场生成，没有打开任何内容，你的工作保持不变。请刷新页面以获取最新版本。',
      invalid: '此链接不包含演练场状态，没有打开任何内容，你的工作保持不变。',
      'no-link': '这里没有演练场状态，没有打开任何内容，你的工作保持不变。',
    },
    tooLong: '当前状态太大，无法放进链接（{{size}} 个字符）。请下载 .knp 文件，再从“历史”中打开。',
    downloadKnp: '下载 .knp', copied: '链接已复制', copyFailed: '链接已在地址栏中',
    exports: '导出', png: 'PNG 图片（2 倍）', svg: 'SVG 图片', pcap: '抓包文件（pcap）', markdown: '以 Markdown 导出过程', nothingSent: '请先发送一个数据包：还没有可导出的轨迹。',
    embedOpen: '在演练场中打开',
    reach: {
      button: '连通矩阵', title: 'Pod 到 Pod 的连通性', port: '端口', protocol: '协议', fromTo: '源 ↓ 目的 →',
      hint: '每个格子代表一个从该行 Pod 发往该列 Pod 的数据包。点击格子即可发送它并查看轨迹。',
      walk: '（逐个让数据包走过网络得出）', evaluator: '（按 NetworkPolicy 计算得出）',
      none: '没有正在运行的 Pod 可供比较。', allowed: '可以到达该 Pod', denied: '无法到达该 Pod',
    },
    compare: {
      button: '对比', title: '对比', base: '对比基准', current: '当前工作', yamlOnly: '不含终端修改的 YAML',
      withSend: '追踪“发送”表单中的数据包', same: '路由、规则、连通性和轨迹都没有差别。',
      trace: '轨迹', reach: '连通性 {{protocol}}/{{port}}', noChange: '没有格子发生变化。', unchanged: '未变化：{{list}}',
      allowed: '允许', denied: '拒绝', absent: '不存在',
    },
    md: { title: '数据包轨迹', verdict: '结果', path: '路径', replyPath: '回程路径', events: '事件', scenario: '场景', story: '过程' },
  },
});
