/**
 * What CoreDNS and kubelet would complain about, as diagnostics: Corefile lines CoreDNS would
 * reject or the playground does not model, and kubelet's DNSConfigForming events when a Pod's
 * resolv.conf had to be trimmed (more than 3 nameservers, more than 32 search domains).
 */
import type { ClusterModel } from '../../model/cluster';
import { NO_RANGE, type Diagnostic } from '../../scenario/diagnostics';
import { corefileOf } from './answer';
import { podResolvConf } from '../kubelet/resolvconf';

export function dnsDiagnostics(model: ClusterModel, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!model.hasCluster) return out;
  const cm = model.configMaps.find((c) => c.meta.namespace === 'kube-system' && c.meta.name === 'coredns');
  for (const note of corefileOf(model).notes) {
    out.push({
      file: cm?.meta.origin?.file ?? file, ...(cm?.meta.origin ? cm.meta.origin.locate(['data', 'Corefile']) : NO_RANGE),
      severity: 'warning', code: 'corefile-note', message: `coredns ConfigMap: ${note}`, params: { note },
      hint: 'the playground honours kubernetes, hosts and forward; cache, errors, health, ready, loop, reload and loadbalance are accepted',
    });
  }
  for (const pod of model.pods) {
    for (const m of podResolvConf(model, pod).messages) {
      out.push({
        file: pod.meta.origin?.file ?? file, ...(pod.meta.origin ? pod.meta.origin.locate(['spec', 'dnsConfig']) : NO_RANGE),
        severity: 'warning', code: 'dns-config-forming', message: `Pod ${pod.meta.namespace}/${pod.meta.name}: ${m}`, params: { pod: `${pod.meta.namespace}/${pod.meta.name}`, detail: m },
        hint: 'kubelet keeps at most 3 nameservers and 32 search domains (2048 characters)',
      });
    }
  }
  return out;
}
