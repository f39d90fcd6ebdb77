/**
 * Golden outputs of the DNS tools in a small cluster (fixture: test/unit/dns/fixture.ts).
 * Regenerate: UPDATE_GOLDEN=1 npx vitest run test/golden/dns
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import { dnsCluster, pod, simOf } from '../../unit/dns/fixture';

const m = dnsCluster();
const sim = simOf({ ...m, pods: [...m.pods, pod('default', 'client', { ip: '10.244.1.9' })] });

const cases: Record<string, string[]> = {
  'dig-service': ['dig web.default.svc.cluster.local'],
  'dig-nxdomain': ['dig nosuch.default.svc.cluster.local'],
  'dig-nodata': ['dig web.default.svc.cluster.local AAAA'],
  'dig-srv-headless': ['dig _pg._tcp.db.prod.svc.cluster.local SRV'],
  'dig-forwarded': ['dig +search example.com'],
  'dig-ptr': ['dig -x 10.96.0.10'],
  'nslookup-search': ['cat /etc/resolv.conf', 'nslookup kubernetes.default', 'nslookup ext.prod', 'nslookup -type=srv _http._tcp.web'],
  'host': ['host web', 'host db-0.db.prod', 'host 10.244.1.7', 'host nosuch'],
};

describe('dns tools golden', () => {
  for (const [name, lines] of Object.entries(cases)) {
    it(name, () => {
      const out = lines.map((l) => { const r = runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, l); return `$ ${l}\n${r.stdout}${r.stderr}[exit ${r.exitCode}]\n`; }).join('\n');
      const file = new URL(`./${name}.txt`, import.meta.url);
      if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, out);
      expect(out).toBe(readFileSync(file, 'utf8'));
    });
  }
});
