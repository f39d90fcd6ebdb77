/** Strings for `kubectl edit` in the playground's editor (issue 15). */
import { bilingual } from './index';

export const editObject = bilingual({
  editObject: {
    title: 'kubectl edit {{object}}', save: 'Save', cancel: 'Cancel',
    hint: 'This is the object as the cluster holds it. Saving applies it (kubectl apply), as closing kubectl\'s editor would.',
    opened: 'Opened {{object}} in the editor. Save there to apply it.',
    applied: 'Applied.', cancelled: 'Edit cancelled, no changes made.',
  },
}, {
  editObject: {
    title: 'kubectl edit {{object}}', save: '保存', cancel: '取消',
    hint: '这是集群中保存的对象。保存即应用（kubectl apply），就像关闭 kubectl 的编辑器那样。',
    opened: '已在编辑器中打开 {{object}}。在那里保存即可应用。',
    applied: '已应用。', cancelled: '编辑已取消，没有任何改动。',
  },
});
