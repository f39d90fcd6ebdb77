/**
 * A node's Pods of one namespace as one counted box (a large cluster, canvas/flow.ts): the
 * namespace, how many Pods and how many run. A click expands it (its Pods are drawn after it)
 * or collapses it again.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PodGroupData } from './flow';

export const PodGroupNode = memo(({ data }: NodeProps<Node<PodGroupData>>) => {
  const { t } = useTranslation();
  return (
    <div className={`knp-pod knp-podgroup ${data.namespace === 'kube-system' ? 'system' : ''} ${data.expanded ? 'expanded' : ''}`}
      data-knp-id={data.knpId} data-testid="pod-group" data-count={data.count} data-expanded={data.expanded}
      title={t(data.expanded ? 'groups.collapse' : 'groups.expand', { count: data.count, namespace: data.namespace, node: data.node })}>
      <div className="knp-pod-name"><span className="knp-icon" aria-hidden>{data.expanded ? '▾' : '▸'}</span>{data.namespace}</div>
      <div className="knp-mono">{t('groups.count', { count: data.count })}</div>
      <div className="knp-muted knp-small knp-ellipsis">{t('groups.running', { running: data.running, count: data.count })}</div>
      <Handle type="target" position={Position.Top} className="knp-handle" isConnectable={false} />
      <Handle type="source" position={Position.Bottom} className="knp-handle" isConnectable={false} />
    </div>
  );
});
