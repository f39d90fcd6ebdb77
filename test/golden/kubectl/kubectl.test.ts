/**
 * Golden kubectl output: scenario in, what kubectl prints out, one small text file per case.
 * Runs through the `knp exec` CLI. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/kubectl
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const here = __dirname;
const S = 'content/scenarios';
const T = 'test/golden/kubectl/scenarios';

/** [golden file, scenario, target or '', command words] */
const CASES: [string, string, string, string][] = [
  ['default-get-pods-wide', `${S}/default.yaml`, '', 'kubectl get pods -o wide'],
  ['default-get-pods-all-namespaces', `${S}/default.yaml`, '', 'kubectl get pods -A -o wide'],
  ['default-get-pods-selector', `${S}/default.yaml`, '', 'kubectl get pods -l run=my-nginx -o wide --show-labels'],
  ['default-get-svc-wide', `${S}/default.yaml`, '', 'kubectl get svc -A -o wide'],
  ['default-get-endpoints', `${S}/default.yaml`, '', 'kubectl get endpoints,endpointslices'],
  ['default-get-nodes-wide', `${S}/default.yaml`, '', 'kubectl get nodes -o wide'],
  ['default-get-all', `${S}/default.yaml`, '', 'kubectl get all'],
  ['default-get-workloads-kube-system', `${S}/default.yaml`, '', 'kubectl get deploy,ds,rs -n kube-system -o wide'],
  ['default-get-ns', `${S}/default.yaml`, '', 'kubectl get ns'],
  ['default-get-none', `${S}/default.yaml`, '', 'kubectl get pods -n nowhere'],
  ['default-get-notfound', `${S}/default.yaml`, '', 'kubectl get svc nosuch'],
  ['default-get-svc-yaml', `${S}/default.yaml`, '', 'kubectl get svc my-nginx -o yaml'],
  ['default-get-pods-name', `${S}/default.yaml`, '', 'kubectl get pods -o name'],
  ['default-describe-svc', `${S}/default.yaml`, '', 'kubectl describe svc my-nginx'],
  ['default-describe-nodeport-svc', `${S}/default.yaml`, '', 'kubectl describe service my-nginx-nodeport'],
  ['default-describe-pod', `${S}/default.yaml`, '', 'kubectl describe pod client'],
  ['default-describe-endpoints', `${S}/default.yaml`, '', 'kubectl describe endpoints my-nginx'],
  ['default-exec-env', `${S}/default.yaml`, '', 'kubectl exec client -- env'],
  ['default-pod-etc-hosts', `${S}/default.yaml`, 'pod/default/client', 'cat /etc/hosts'],
  ['default-node-etc-hosts', `${S}/default.yaml`, 'node/node-1', 'cat /etc/hosts'],
  ['default-hostname', `${S}/default.yaml`, 'pod/default/client', 'hostname'],
  ['default-describe-node', `${S}/default.yaml`, '', 'kubectl describe node node-1'],
  ['default-describe-deployment', `${S}/default.yaml`, '', 'kubectl describe deployment my-nginx'],
  ['default-jsonpath-pod-ips', `${S}/default.yaml`, '', 'kubectl get pods -l run=my-nginx -o jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'],
  ['default-get-pod-yaml', `${S}/default.yaml`, '', 'kubectl get pod client -o yaml'],
  ['nodeport-get-pods-wide', `${S}/nodeport.yaml`, '', 'kubectl get pods -o wide'],
  ['nodeport-get-svc-wide', `${S}/nodeport.yaml`, '', 'kubectl get svc -o wide'],
  ['hostport-get-pods-wide', `${S}/hostport.yaml`, '', 'kubectl get pods -o wide'],
  ['no-selector-get-ep', `${S}/no-selector-endpoints.yaml`, '', 'kubectl get svc,ep,endpointslices'],
  ['no-selector-describe-svc', `${S}/no-selector-endpoints.yaml`, '', 'kubectl describe svc my-service'],
  ['pending-get-pods-wide', `${T}/pending.yaml`, '', 'kubectl get pods -o wide'],
  ['dualstack-describe-svc', `${T}/dualstack.yaml`, '', 'kubectl describe svc web'],
  ['dualstack-get-svc-yaml', `${T}/dualstack.yaml`, '', 'kubectl get svc web -o yaml'],
  ['dualstack-get-pods-ips', `${T}/dualstack.yaml`, '', 'kubectl get pods -l app=web -o jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIPs[*].ip}{"\\n"}{end}'],
  ['dualstack-describe-node', `${T}/dualstack.yaml`, '', 'kubectl describe node node-2'],
  ['dualstack6-get-endpointslices', `${T}/dualstack6.yaml`, '', 'kubectl get svc,endpoints,endpointslices -o wide'],
  ['dualstack6-get-endpointslices-yaml', `${T}/dualstack6.yaml`, '', 'kubectl get endpointslices -l kubernetes.io/service-name=web -o yaml'],
  ['dualstack6-ip6tables-save', `${T}/dualstack6.yaml`, 'node/node-1', 'ip6tables-save'],
  ['dualstack6-nft-ip6', `${T}/dualstack6-nft.yaml`, 'node/node-1', 'nft list table ip6 kube-proxy'],
  ['dualstack6-dig-aaaa', `${T}/dualstack6.yaml`, 'pod/default/client', 'dig AAAA web.default.svc.cluster.local'],
  ['dualstack6-dig-srv-headless', `${T}/dualstack6.yaml`, 'pod/default/client', 'dig SRV _http._tcp.db.default.svc.cluster.local'],
  ['dualstack6-dig-ptr6', `${T}/dualstack6.yaml`, 'pod/default/client', 'dig +short -x fd00:10:96::80'],
  ['dualstack6-iptables-save-nat', `${T}/dualstack6.yaml`, 'node/node-1', 'iptables-save -t nat'],
  ['pending-get-events', `${T}/pending.yaml`, '', 'kubectl get events'],
  ['pending-describe-pod', `${T}/pending.yaml`, '', 'kubectl describe pods web'],
  ['stateful-etc-hosts', `${T}/stateful.yaml`, 'pod/default/db-1', 'cat /etc/hosts'],
  ['stateful-env', `${T}/stateful.yaml`, 'pod/default/db-0', 'env'],
  ['stateful-get-ep', `${T}/stateful.yaml`, '', 'kubectl get pods,svc,ep -o wide'],
];

function render(cmdline: string, r: { code: number; stdout: string; stderr: string }): string {
  let s = `$ ${cmdline}\n${r.stdout}`;
  if (r.stderr) s += `--- stderr\n${r.stderr}`;
  if (r.code !== 0) s += `--- exit ${r.code}\n`;
  return s;
}

describe('golden kubectl output', () => {
  for (const [name, file, target, command] of CASES) {
    it(name, async () => {
      // Words are split on spaces, except inside a jsonpath template.
      const words = command.includes('jsonpath=') ? [...command.slice(0, command.indexOf('jsonpath=')).trim().split(' '), command.slice(command.indexOf('jsonpath='))] : command.split(' ');
      const argv = ['exec', file, ...(target ? [target] : []), '--', ...words];
      const r = await runKnp(argv);
      const text = render(`knp ${argv.join(' ')}`, r);
      const path = join(here, `${name}.txt`);
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
        mkdirSync(here, { recursive: true });
        writeFileSync(path, text);
      }
      expect(text).toBe(readFileSync(path, 'utf8'));
    });
  }
});
