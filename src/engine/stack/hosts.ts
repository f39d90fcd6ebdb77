/**
 * /etc/hosts, as kubelet writes it into a Pod and as a machine has it, and the lookup glibc and
 * musl do in it before asking DNS ("files dns" in nsswitch.conf): localhost, the Pod's own
 * hostname (and FQDN with a subdomain), hostAliases. `cat /etc/hosts`, getent, ping, curl, wget
 * and nc all read this one text.
 */
import type { PodModel } from '../model/cluster';
import type { Sim } from '../sim';

/** The Pod's FQDN when it has a subdomain: HOSTNAME.SUBDOMAIN.NS.svc.DOMAIN. */
export function podFqdn(sim: Sim, p: PodModel): string | null {
  return p.subdomain ? `${p.hostname}.${p.subdomain}.${p.meta.namespace}.svc.${sim.model.spec.clusterDomain}` : null;
}

export function machineHosts(name: string): string {
  return `127.0.0.1 localhost\n127.0.1.1 ${name}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`;
}

function hostAliases(p: PodModel): string {
  const aliases = p.spec.hostAliases ?? [];
  if (aliases.length === 0) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
}

/** kubelet's managedHostsFileContent. */
export function podEtcHosts(sim: Sim, p: PodModel): string {
  if (p.hostNetwork) {
    let s = `# Kubernetes-managed hosts file (host network).\n${machineHosts(p.nodeName ?? p.hostname)}`;
    s += hostAliases(p);
    return s;
  }
  let s = '# Kubernetes-managed hosts file.\n';
  s += '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (p.podIP) {
    const fqdn = podFqdn(sim, p);
    s += fqdn ? `${p.podIP}\t${fqdn}\t${p.hostname}\n` : `${p.podIP}\t${p.hostname}\n`;
  }
  s += hostAliases(p);
  return s;
}

/** The /etc/hosts text of a walk's `from` (pod/NS/NAME, pod/NAME, node/N[#netns], host/N[#netns]), or null. */
export function etcHostsFor(sim: Sim, from: string): string | null {
  const parts = from.split('#')[0]!.split('/');
  if (parts[0] === 'pod') {
    const [ns, name] = parts.length === 3 ? [parts[1], parts[2]] : ['default', parts[1]];
    const p = sim.model.pods.find((x) => x.meta.namespace === ns && x.meta.name === name);
    return p ? podEtcHosts(sim, p) : null;
  }
  if ((parts[0] === 'node' || parts[0] === 'host') && parts[1]) return machineHosts(parts[1]);
  return null;
}

/** The first IPv4 address /etc/hosts gives NAME (case-insensitive, as glibc compares), or null. */
export function hostsLookup(text: string, name: string, family: 4 | 6 = 4): string | null {
  const want = name.toLowerCase().replace(/\.$/, '');
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    if (!ip || ip.includes(':') !== (family === 6)) continue;
    if (names.some((n) => n.toLowerCase() === want)) return ip;
  }
  return null;
}
