/** What the inspector says about a program at a device or socket hook (a `hook` trace event). */
import { bilingual } from './index';

export const hooks = bilingual(
  {
    bpfHook: {
      modelled: 'Modelled, not run: the playground does not load eBPF. This step is {{owner}}\'s {{section}} program ({{object}}) as a short TypeScript function that decides what the real program decides here.',
      point: 'Attached at: {{point}}',
    },
  },
  {
    bpfHook: {
      modelled: '这是模拟，并没有真正运行：playground 不加载 eBPF。这一步是 {{owner}} 的 {{section}} 程序（{{object}}），用一小段 TypeScript 函数按真实程序在这里的判断来模拟。',
      point: '挂载位置：{{point}}',
    },
  },
);
