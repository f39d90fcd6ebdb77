/**
 * The same YAML under another setting, for the compare view: kube-proxy's mode, the network
 * plugin and its backend, the externalTrafficPolicy of the Services that reach outside, and the
 * NetworkPolicies on or off. `settingsOf` lists the settings that mean something for a scenario
 * with its current value and the values it can take; `withSetting` writes one value into the
 * text (the yaml library's documents, so comments and the other objects stay as they were).
 * Both sides are then built and compared like any two configurations (compare.ts).
 */
import { isMap, parseAllDocuments, type Document } from 'yaml';
import { CNI_PLUGINS } from '../cni/registry';

export type SettingId = 'kubeProxyMode' | 'network' | 'externalTrafficPolicy' | 'networkPolicies';

export interface Setting {
  readonly id: SettingId;
  /** The scenario's value as written (or its default). */
  readonly current: string;
  /** Every value it can take, the current one included. */
  readonly choices: readonly string[];
}

const PROXY_MODES = ['iptables', 'ipvs', 'nftables', 'userspace'];
const EXPOSED = new Set(['NodePort', 'LoadBalancer']);

type Doc = Document.Parsed;

function docs(yaml: string): Doc[] {
  return parseAllDocuments(yaml) as Doc[];
}

const kindOf = (d: Doc): unknown => (isMap(d.contents) ? d.get('kind') : undefined);

function networkChoices(): string[] {
  return Object.values(CNI_PLUGINS).flatMap((p) => p.backends.map((b) => `${p.id}/${b}`));
}

/** The settings this scenario can be compared under; each with its current value. */
export function settingsOf(yaml: string): Setting[] {
  const all = docs(yaml);
  if (all.some((d) => d.errors.length)) return [];
  const cluster = all.find((d) => kindOf(d) === 'Cluster');
  const out: Setting[] = [];
  const mode = String(cluster?.getIn(['spec', 'kubeProxy', 'mode']) ?? 'iptables');
  out.push({ id: 'kubeProxyMode', current: mode, choices: PROXY_MODES.includes(mode) ? PROXY_MODES : [mode, ...PROXY_MODES] });
  const plugin = String(cluster?.getIn(['spec', 'network', 'plugin']) ?? 'flannel');
  const backend = cluster?.getIn(['spec', 'network', 'backend']);
  const p = Object.values(CNI_PLUGINS).find((x) => x.id === plugin);
  const net = `${plugin}/${backend === undefined || backend === null ? (p?.backends[0] ?? '') : String(backend)}`;
  const nets = networkChoices();
  out.push({ id: 'network', current: net, choices: nets.includes(net) ? nets : [net, ...nets] });
  const exposed = all.filter((d) => kindOf(d) === 'Service' && EXPOSED.has(String(d.getIn(['spec', 'type']))));
  if (exposed.length) {
    const local = exposed.every((d) => d.getIn(['spec', 'externalTrafficPolicy']) === 'Local');
    out.push({ id: 'externalTrafficPolicy', current: local ? 'Local' : 'Cluster', choices: ['Cluster', 'Local'] });
  }
  if (all.some((d) => kindOf(d) === 'NetworkPolicy')) out.push({ id: 'networkPolicies', current: 'on', choices: ['on', 'off'] });
  return out;
}

/** The YAML with one setting changed; the text is unchanged where the setting does not apply. */
export function withSetting(yaml: string, id: SettingId, value: string): string {
  const all = docs(yaml);
  if (all.some((d) => d.errors.length)) return yaml;
  switch (id) {
    case 'kubeProxyMode':
    case 'network': {
      let cluster = all.find((d) => kindOf(d) === 'Cluster');
      let prefix = '';
      if (!cluster) {
        // No Cluster document: every default holds; one is added in front to carry the setting.
        prefix = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: kubernetes}\nspec: {}\n---\n';
        cluster = docs(prefix)[0]!;
      }
      if (id === 'kubeProxyMode') cluster.setIn(['spec', 'kubeProxy', 'mode'], value);
      else {
        const [plugin, backend] = value.split('/');
        cluster.setIn(['spec', 'network', 'plugin'], plugin);
        if (backend) cluster.setIn(['spec', 'network', 'backend'], backend);
        else cluster.deleteIn(['spec', 'network', 'backend']);
      }
      if (prefix) return `${String(cluster)}---\n${yaml}`;
      return join(all);
    }
    case 'externalTrafficPolicy':
      for (const d of all) if (kindOf(d) === 'Service' && EXPOSED.has(String(d.getIn(['spec', 'type'])))) d.setIn(['spec', 'externalTrafficPolicy'], value);
      return join(all);
    case 'networkPolicies':
      return value === 'off' ? join(all.filter((d) => kindOf(d) !== 'NetworkPolicy')) : yaml;
  }
}

function join(all: readonly Doc[]): string {
  return all.map((d, i) => {
    const text = String(d);
    // The first document keeps its own start; the others need a separator of their own.
    return i === 0 || text.startsWith('---') ? text : `---\n${text}`;
  }).join('');
}
