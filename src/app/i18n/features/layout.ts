/** Strings of the page's layout: the editor bar that folds the YAML away while a lesson is open. */
import { bilingual } from './index';

export const layout = bilingual(
  {
    layout: {
      yaml: 'YAML',
      hideEditor: 'Fold the editor away (the lesson gets its height)',
      showEditor: 'Show the YAML editor',
    },
  },
  {
    layout: {
      yaml: 'YAML',
      hideEditor: '收起编辑器（把高度让给课程）',
      showEditor: '展开 YAML 编辑器',
    },
  },
);
