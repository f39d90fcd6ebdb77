/**
 * The workload controllers: Deployment → ReplicaSet → Pods, StatefulSet → ordinal Pods,
 * DaemonSet → one Pod per eligible node, ReplicaSet → Pods. Names are the ones the real
 * controllers give:
 *
 *   Deployment my-nginx   ReplicaSet my-nginx-5b56ccd65f   Pods my-nginx-5b56ccd65f-x7k2p
 *   StatefulSet web       Pods web-0, web-1                (hostname web-0, subdomain = serviceName)
 *   DaemonSet kube-proxy  Pods kube-proxy-q8r4t, one per node
 */
import type { Meta, NodeModel, WorkloadModel } from '../model/cluster';
import type { Origin } from '../scenario/load';
import type { LabelSelector } from '../scenario/schema/common';
import type { DaemonSetIn, DeploymentIn, PodIn, PodSpecIn, ReplicaSetIn, StatefulSetIn } from '../scenario/schema/k8s';
import type { Path } from '../scenario/source';
import type { Rand } from '../util/rand';
import type { Reporter } from './diag';
import { podTemplateHash, randomSuffix } from './names';
import { podKey } from './history';
import { validatePodSpec } from './podspec';
import { daemonSetEligible } from './scheduler';
import { formatLabels, matchesSelector } from './selector';

export type WorkloadKind = WorkloadModel['kind'];

export interface WorkloadSrc {
  readonly kind: WorkloadKind;
  readonly obj: DeploymentIn | ReplicaSetIn | StatefulSetIn | DaemonSetIn;
  readonly meta: Meta;
  readonly origin?: Origin | undefined;
  readonly system: boolean;
}

/** A Pod before scheduling and addressing. */
export interface PodDraft {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: PodSpecIn;
  readonly status?: PodIn['status'] | undefined;
  readonly terminating: boolean;
  readonly system: boolean;
  readonly createdIndex: number;
  readonly origin?: Origin | undefined;
  /** Where the Pod spec sits in the user's document: ["spec"] or ["spec", "template", "spec"]. */
  readonly specPath: Path;
  /** Spread key for the scheduler: Pods of one owner are spread over nodes. */
  readonly owner: string;
  readonly ownerKind?: string;
  readonly ownerName?: string;
  readonly hostname: string;
  readonly subdomain?: string | undefined;
  /** DaemonSet Pods are bound to their node by the controller. */
  readonly fixedNode?: string;
}

const TEMPLATE_SPEC: Path = ['spec', 'template', 'spec'];

export function expandWorkload(src: WorkloadSrc, nodes: readonly NodeModel[], rand: Rand, r: Reporter, deleted: ReadonlySet<string> = new Set()): { workload: WorkloadModel; pods: PodDraft[] } | null {
  const { obj, origin, meta, kind } = src;
  const name = meta.name;
  const ns = meta.namespace;
  const template = obj.spec.template;
  const tLabels = template.metadata?.labels ?? {};
  let selector: LabelSelector | undefined = obj.spec.selector;
  if (!selector) {
    if (obj.apiVersion === 'apps/v1') {
      r.error(origin, ['spec'], 'missing-selector', `${kind}.apps "${name}" is invalid: spec.selector: Required value`, `add spec.selector.matchLabels with the template's labels, e.g. ${formatLabels(tLabels, 'app: NAME')}`, true, { kind, name });
      return null;
    }
    selector = { matchLabels: { ...tLabels } };
  }
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    r.error(origin, ['spec', 'selector'], 'empty-selector', `${kind}.apps "${name}" is invalid: spec.selector: Invalid value: empty selector is invalid for ${kind.toLowerCase()}`, 'select the template\'s labels with matchLabels', false, { kind, name });
    return null;
  }
  if (!matchesSelector(tLabels, selector)) {
    r.error(origin, template.metadata?.labels ? ['spec', 'template', 'metadata', 'labels'] : ['spec', 'template'], 'selector-mismatch',
      `${kind}.apps "${name}" is invalid: spec.template.metadata.labels: Invalid value: "${formatLabels(tLabels, '')}": \`selector\` does not match template \`labels\``,
      'the template\'s labels must satisfy spec.selector, or the controller could never find its own Pods', false, { kind, name, labels: formatLabels(tLabels, '') });
    return null;
  }
  if (!validatePodSpec(template.spec, origin, TEMPLATE_SPEC, r, `${kind} ${name}`)) return null;

  const hash = podTemplateHash(template);
  const owner = `${kind}/${ns}/${name}`;
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  // A Pod of this workload (written out property by property: a spread of shared fields costs more than the rest of the Pod).
  const draft = (podName: string, labels: Record<string, string>, ownerKind: string, ownerName: string, hostname: string, subdomain: string | undefined, fixedNode?: string): PodDraft => ({
    namespace: ns, spec: template.spec, terminating: false, system: src.system, createdIndex: meta.createdIndex, origin, specPath: TEMPLATE_SPEC, owner,
    name: podName, labels, annotations, ownerKind, ownerName, hostname, subdomain, ...(fixedNode !== undefined ? { fixedNode } : {}),
  });
  const pods: PodDraft[] = [];
  const used = new Set<string>();
  const unique = (prefix: string, rr: Rand): string => {
    for (;;) { const n = `${prefix}-${randomSuffix(rr)}`; if (!used.has(n)) { used.add(n); return n; } }
  };
  // A Pod deleted with kubectl: its controller makes a replacement under a fresh name, drawn
  // after all the others so the Pods that survive keep theirs.
  const replaceDeleted = (list: PodDraft[], prefix: string, rr: Rand): void => {
    list.forEach((p, i) => {
      if (!deleted.has(podKey(ns, p.name))) return;
      let n = unique(prefix, rr);
      while (deleted.has(podKey(ns, n))) n = unique(prefix, rr);
      list[i] = { ...p, name: n, hostname: template.spec.hostname ?? n.slice(0, 63).replace(/[-.]+$/, '') };
    });
  };
  const hostnameOf = (podName: string): string => template.spec.hostname ?? podName.slice(0, 63).replace(/[-.]+$/, '');
  const replicas = 'replicas' in obj.spec ? obj.spec.replicas ?? 1 : 1;
  let workload: WorkloadModel;
  switch (kind) {
    case 'Deployment': {
      const rsName = `${name}-${hash}`;
      const rr = rand.fork(`pods/${ns}/${rsName}`);
      // The Pods' drafts share their labels (each Pod's metadata gets its own copy).
      const labels = { ...tLabels, 'pod-template-hash': hash };
      for (let i = 0; i < replicas; i++) {
        const podName = unique(rsName, rr);
        pods.push(draft(podName, labels, 'ReplicaSet', rsName, hostnameOf(podName), template.spec.subdomain));
      }
      replaceDeleted(pods, rsName, rr);
      workload = { meta, kind, replicas, selector, pods: pods.map((p) => p.name), replicaSetName: rsName, podTemplateHash: hash };
      break;
    }
    case 'ReplicaSet': {
      const rr = rand.fork(`pods/${ns}/${name}`);
      const labels = { ...tLabels };
      for (let i = 0; i < replicas; i++) {
        const podName = unique(name, rr);
        pods.push(draft(podName, labels, 'ReplicaSet', name, hostnameOf(podName), template.spec.subdomain));
      }
      replaceDeleted(pods, name, rr);
      workload = { meta, kind, replicas, selector, pods: pods.map((p) => p.name) };
      break;
    }
    case 'StatefulSet': {
      const s = obj as StatefulSetIn;
      const start = s.spec.ordinals?.start ?? 0;
      for (let i = start; i < start + replicas; i++) {
        const podName = `${name}-${i}`;
        const labels = { ...tLabels, 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': `${name}-${hash}`, 'statefulset.kubernetes.io/pod-name': podName };
        pods.push(draft(podName, labels, 'StatefulSet', name, podName, s.spec.serviceName ?? template.spec.subdomain));
      }
      workload = { meta, kind, replicas, selector, pods: pods.map((p) => p.name), ...(s.spec.serviceName ? { serviceName: s.spec.serviceName } : {}) };
      break;
    }
    case 'DaemonSet': {
      const rr = rand.fork(`pods/${ns}/${name}`);
      const labels = { ...tLabels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
      for (const node of nodes) {
        if (!daemonSetEligible(node, template.spec)) continue;
        const podName = unique(name, rr);
        pods.push(draft(podName, labels, 'DaemonSet', name, hostnameOf(podName), template.spec.subdomain, node.name));
      }
      replaceDeleted(pods, name, rr);
      workload = { meta, kind, replicas: pods.length, selector, pods: pods.map((p) => p.name) };
      break;
    }
  }
  return { workload, pods };
}
