/** Strings of the trace's freshness, the problems panel, the camera and the warnings on the canvas. */
import { bilingual } from './index';

export const follow = bilingual(
  {
    stale: {
      title: 'This trace is from an earlier version of the YAML',
      body: 'The scenario changed since it was walked, so replaying it would show a network that no longer exists.',
      resend: 'Send it again',
      resending: 'Walking…',
    },
    problems: {
      title: 'Problems',
      none: 'No problems',
      error: 'error',
      warning: 'warning',
      at: 'line {{line}}, column {{col}}',
      go: 'Go to line {{line}}',
    },
    camera: {
      follow: 'Follow the packet',
      followHint: 'Keep the packet in view while it plays',
    },
    objectWarn: {
      label: 'Warning',
    },
    terminalRun: {
      replay: '▶ {{count}} packet walk(s) on the canvas',
    },
  },
  {
    stale: {
      title: '这条轨迹来自较早版本的 YAML',
      body: '模拟之后场景已经修改，再回放就是在演示一个已经不存在的网络。',
      resend: '重新发送',
      resending: '正在模拟…',
    },
    problems: {
      title: '问题',
      none: '没有问题',
      error: '错误',
      warning: '警告',
      at: '第 {{line}} 行，第 {{col}} 列',
      go: '跳到第 {{line}} 行',
    },
    camera: {
      follow: '镜头跟随数据包',
      followHint: '回放时让数据包一直留在视野里',
    },
    objectWarn: {
      label: '警告',
    },
    terminalRun: {
      replay: '▶ 画布上可回放 {{count}} 次报文行走',
    },
  },
);
