/**
 * Counted boxes for a large cluster. A node's Pods of one namespace as one counted box (a large cluster, canvas/flow.ts): the
 * namespace, how many Pods and how many run. A click expands it (its Pods are drawn after it)
 * or collapses it again.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PodGroupData, ServiceGroupData } from './flow';

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

/**
 * A namespace's Services as one counted box (more than SERVICE_GROUP_THRESHOLD Services): a
 * click, or zooming in on it, draws them one by one; `shown` of them are drawn anyway (a trace
 * touches them, or the group is expanded).
 */
export const ServiceGroupNode = memo(({ data }: NodeProps<Node<ServiceGroupData>>) => {
  const { t } = useTranslation();
  return (
    <div className={`knp-service knp-svcgroup ${data.expanded ? 'expanded' : ''}`}
      data-knp-id={data.knpId} data-testid="service-group" data-count={data.count} data-expanded={data.expanded}
      title={t(data.expanded ? 'groups.svcCollapse' : 'groups.svcExpand', { count: data.count, namespace: data.namespace })}>
      <div className="knp-pod-name"><span className="knp-icon" aria-hidden>{data.expanded ? '▾' : '▸'}</span>{data.namespace}</div>
      <div className="knp-mono">{t('groups.svcCount', { count: data.count })}</div>
      {!data.expanded && data.shown > 0 && <div className="knp-muted knp-small knp-ellipsis">{t('groups.svcShown', { count: data.shown })}</div>}
      <Handle type="target" position={Position.Top} className="knp-handle" isConnectable={false} />
      <Handle type="source" position={Position.Bottom} className="knp-handle" isConnectable={false} />
    </div>
  );
});
