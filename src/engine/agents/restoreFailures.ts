/**
 * A machine whose iptables-restore failed, seen where a learner looks: a diagnostic from
 * `knp check` and the editor, and the lines kube-proxy logs (`kubectl logs -n kube-system
 * kube-proxy-…`). The failure itself is recorded on the namespace's netfilter state by
 * installRules (k8s/kubeproxy/install.ts); the netfilter engine adds a trace event to every
 * packet that then enters the machine.
 */
import type { ClusterModel, PodModel } from '../model/cluster';
import { nodeNsId } from '../net/ids';
import type { Network } from '../net/types';
import type { RestoreFailure } from '../netfilter/types';
import { NO_RANGE, type Diagnostic } from '../scenario/diagnostics';
import { KUBERNETES_VERSION } from '../control/system';

/** Every machine's restore failure, in namespace order. */
export function restoreFailures(net: Network): RestoreFailure[] {
  const out: RestoreFailure[] = [];
  for (const ns of net.namespaces.values()) {
    if (ns.netfilter?.restoreFailure) out.push(ns.netfilter.restoreFailure);
    if (ns.netfilter6?.restoreFailure) out.push(ns.netfilter6.restoreFailure);
  }
  return out;
}

/** One diagnostic per failed machine, placed on the Service the offending rule serves when it names one. */
export function restoreDiagnostics(model: ClusterModel, net: Network, file: string): Diagnostic[] {
  return [...iptablesDiagnostics(model, net, file), ...nftDiagnostics(model, net, file)];
}

/**
 * kube-proxy's nftables transactions that did not load. nft -f is one transaction: nothing of
 * it applies, so the machine keeps no rule of that sync. Placed on the Service a chain of the
 * offending line serves (`service-HASH-NS/NAME/tcp/PORT`) when it names one.
 */
function nftDiagnostics(model: ClusterModel, net: Network, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of net.namespaces.values()) {
    const f = ns.nft?.loadFailure;
    if (!f) continue;
    const m = /-[A-Z2-7]{8}-([a-z0-9-]+)\/([a-z0-9-]+)\/(?:tcp|udp|sctp)\//.exec(f.text);
    const svc = m ? model.services.find((s) => s.meta.namespace === m[1] && s.meta.name === m[2]) : undefined;
    const origin = svc?.meta.origin;
    out.push({
      file: origin?.file ?? file,
      ...(origin ? origin.locate(['kind']) : NO_RANGE),
      severity: 'error',
      code: 'nftables-load-failed',
      message: `${f.machine}: ${f.writer}'s nftables transaction did not load: line ${f.line}: ${f.error}: ${f.text}. nft -f applies all of a transaction or none of it, so the ip kube-proxy table has none of this sync's rules`,
      hint: `the same error is in \`kubectl logs -n kube-system\` of the node's kube-proxy Pod, and every packet entering ${f.machine} says so in its trace`,
      params: { machine: f.machine, writer: f.writer, line: f.line, error: f.error, text: f.text },
    });
  }
  return out;
}

function iptablesDiagnostics(model: ClusterModel, net: Network, file: string): Diagnostic[] {
  return restoreFailures(net).map((f) => {
    const m = /--comment "?([a-z0-9-]+)\/([a-z0-9-]+)[:" ]/.exec(f.text);
    const svc = m ? model.services.find((s) => s.meta.namespace === m[1] && s.meta.name === m[2]) : undefined;
    const origin = svc?.meta.origin;
    const tables = f.tables.join(' and ');
    return {
      file: origin?.file ?? file,
      ...(origin ? origin.locate(['kind']) : NO_RANGE),
      severity: 'error' as const,
      code: 'iptables-restore-failed',
      message: `${f.machine}: ${f.writer}'s rules did not load: ${f.error.replace(/^iptables-restore: /, '')}: ${f.text}. iptables-restore is all or nothing per table, so the ${tables} table${f.tables.length > 1 ? 's are' : ' is'} missing every rule of this load`,
      hint: `the same error is in \`kubectl logs -n kube-system\` of the node's kube-proxy Pod, and every packet entering ${f.machine} says so in its trace`,
      params: { machine: f.machine, writer: f.writer, error: f.error.replace(/^iptables-restore: /, ''), text: f.text, tables: f.tables.join(', ') },
    };
  });
}

/** A klog header; the playground's clock starts at the epoch, so the date is fixed. */
const klog = (level: 'I' | 'E' | 'W', at: string, msg: string): string => `${level}0101 00:00:00.000000       1 ${at}] ${msg}`;

/**
 * What `kubectl logs` prints for a kube-proxy Pod: its start-up lines (kube-proxy v1.30's
 * server.go and the proxier's), then, when its node's restore failed, the error the proxier
 * logs and the retry it schedules (pkg/proxy/iptables/proxier.go syncProxyRules).
 */
export function kubeProxyLog(model: ClusterModel, net: Network, pod: PodModel): string {
  const node = model.nodes.find((n) => n.name === pod.nodeName);
  const mode = model.spec.kubeProxy.mode;
  const lines: string[] = [
    klog('I', 'server_linux.go:69', `"Using ${mode === 'none' ? 'no' : mode} proxy"`),
    klog('I', 'server.go:1062', `"Successfully retrieved node IP(s)" IPs=["${node?.ip ?? ''}"]`),
    klog('I', 'server.go:872', `"Version info" version="${KUBERNETES_VERSION}"`),
    klog('I', 'config.go:192', '"Starting service config controller"'),
    klog('I', 'config.go:192', '"Starting endpoint slice config controller"'),
    klog('I', 'shared_informer.go:320', 'Caches are synced for service config'),
    klog('I', 'shared_informer.go:320', 'Caches are synced for endpoint slice config'),
  ];
  const nodeNs = node ? net.namespaces.get(nodeNsId(node.name)) : undefined;
  const failure = nodeNs?.netfilter?.restoreFailure;
  const nftFailure = nodeNs?.nft?.loadFailure;
  if (nftFailure) {
    // pkg/proxy/nftables/proxier.go syncProxyRules: the transaction's error, then the retry.
    lines.push(
      klog('E', 'proxier.go:1798', `"nftables sync failed" err="/dev/stdin:${nftFailure.line}:1-${nftFailure.text.length}: Error: ${nftFailure.error}" ipFamily="IPv4"`),
      klog('I', 'proxier.go:1201', '"Sync failed" ipFamily="IPv4" retryingTime="30s"'),
    );
  }
  if (failure) {
    const why = failure.error.replace(/^iptables-restore: /, '');
    lines.push(
      klog('E', 'proxier.go:1564', `"Failed to execute iptables-restore" err=<\n\texit status 2: iptables-restore v1.8.9 (nf_tables): ${why}\n\tError occurred at line: ${failure.line}\n\tTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n > ipFamily="IPv4"`),
      klog('I', 'proxier.go:1567', `"Closing local ports after iptables-restore failure" ipFamily="IPv4"`),
      klog('E', 'proxier.go:1568', `"Offending line" writer="${failure.writer}" line=${JSON.stringify(failure.text)} ipFamily="IPv4"`),
      klog('I', 'bounded_frequency_runner.go:296', '"sync-runner: ran, next possible in 1s, periodic in 30s"'),
    );
  }
  return `${lines.join('\n')}\n`;
}
