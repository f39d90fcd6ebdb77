/** The engine watchdog's notices (src/worker/client.ts): why the engine was replaced and what came back. */
import { bilingual } from './index';

export const watchdog = bilingual(
  {
    watchdog: {
      timeout: 'The engine spent more than {{seconds}} s on "{{request}}" and was stopped; that request was cancelled.',
      crash: 'The engine crashed ({{message}}) and was restarted.',
      manual: 'The engine was restarted.',
      rebuilding: 'Rebuilding the simulation from your YAML…',
      recovered: 'The simulation was rebuilt from your YAML.',
      replayed_one: 'The terminal command that had changed it was run again.',
      replayed_other: 'The {{count}} terminal commands that had changed it were run again.',
      skipped: '{{count}} of them failed this time and were left out.',
      yamlTooSlow: 'Building this YAML took too long; edit it to try again.',
      gaveUp: 'It could not be rebuilt; edit the YAML or press Reset to try again.',
    },
  },
  {
    watchdog: {
      timeout: '引擎处理「{{request}}」超过 {{seconds}} 秒，已被终止；该请求已取消。',
      crash: '引擎崩溃（{{message}}），已重新启动。',
      manual: '引擎已重新启动。',
      rebuilding: '正在根据你的 YAML 重建模拟……',
      recovered: '已根据你的 YAML 重建模拟。',
      replayed_one: '此前改动过模拟的那条终端命令已重新执行。',
      replayed_other: '此前改动过模拟的 {{count}} 条终端命令已重新执行。',
      skipped: '其中 {{count}} 条这次执行失败，已略过。',
      yamlTooSlow: '构建这份 YAML 耗时过长；请修改后再试。',
      gaveUp: '无法重建；请修改 YAML 或点击“重置”再试。',
    },
  },
);
