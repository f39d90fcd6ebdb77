/**
 * The Corefile of the `coredns` ConfigMap (kube-system), parsed into the few facts the answerer
 * needs: which server blocks exist, and per block the `kubernetes`, `hosts` and `forward`
 * plugins' settings. Plugins we accept but that do not change an answer (cache, errors, health,
 * ready, loop, reload, loadbalance, prometheus, log) are recorded by name; anything else becomes
 * a note, never an exception, because the Corefile is user input.
 *
 *   .:53 {                              <- server block: zones ".", port 53
 *       kubernetes cluster.local in-addr.arpa ip6.arpa {
 *          pods insecure                <- a-b-c-d.NS.pod.DOMAIN answered without checking
 *          fallthrough in-addr.arpa     <- unknown reverse names go on to `forward`
 *          ttl 30
 *       }
 *       forward . /etc/resolv.conf      <- everything else: the node's nameserver
 *   }
 */

export type PodsMode = 'disabled' | 'insecure' | 'verified';

export interface KubernetesPlugin {
  readonly zones: readonly string[];
  readonly pods: PodsMode;
  /** null: every namespace is exposed. */
  readonly namespaces: readonly string[] | null;
  readonly ttl: number;
  readonly endpointPodNames: boolean;
  /** null: no fallthrough; []: fallthrough for every zone; else only for these zones. */
  readonly fallthrough: readonly string[] | null;
}

export interface HostsPlugin {
  readonly entries: readonly { readonly ip: string; readonly names: readonly string[] }[];
  readonly zones: readonly string[];
  readonly ttl: number;
  readonly fallthrough: readonly string[] | null;
}

export interface ForwardPlugin {
  /** The zone it forwards ("." for everything). */
  readonly from: string;
  /** IP addresses, or "/etc/resolv.conf" (the nameservers of the node the CoreDNS Pod runs on). */
  readonly to: readonly string[];
}

export interface ServerBlock {
  readonly zones: readonly string[];
  readonly port: number;
  readonly kubernetes: KubernetesPlugin | null;
  readonly hosts: HostsPlugin | null;
  readonly forward: ForwardPlugin | null;
  readonly cacheTtl: number | null;
  /** Every plugin named in the block, in order. */
  readonly plugins: readonly string[];
}

export interface Corefile {
  readonly servers: readonly ServerBlock[];
  /** Things CoreDNS would log or refuse (unknown plugins, bad arguments). */
  readonly notes: readonly string[];
}

const INERT = new Set(['errors', 'health', 'ready', 'loop', 'reload', 'loadbalance', 'prometheus', 'log', 'cache', 'debug', 'whoami', 'bind', 'any', 'minimal', 'autopath']);

/** Lowercase, with a trailing dot: CoreDNS compares names this way. */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

interface Directive { readonly name: string; readonly args: string[]; readonly block: Directive[] | null }

/** Tokenises Caddyfile syntax: words, `{`, `}`, newlines; `#` comments; quoted words. */
function tokenize(text: string): { t: string; line: number }[] {
  const out: { t: string; line: number }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') { out.push({ t: '\n', line }); line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '{' || c === '}') { out.push({ t: c, line }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let w = '';
      while (j < text.length && text[j] !== '"') w += text[j++];
      out.push({ t: w, line });
      i = j + 1;
      continue;
    }
    let w = '';
    while (i < text.length && !/[\s{}]/.test(text[i]!)) w += text[i++];
    out.push({ t: w, line });
  }
  return out;
}

/** Parses directives until the matching `}` (or the end). */
function parseDirectives(toks: { t: string; line: number }[], pos: { i: number }, notes: string[]): Directive[] {
  const out: Directive[] = [];
  while (pos.i < toks.length) {
    const tok = toks[pos.i]!;
    if (tok.t === '\n') { pos.i++; continue; }
    if (tok.t === '}') { pos.i++; return out; }
    if (tok.t === '{') { notes.push(`Corefile:${tok.line} - Error during parsing: Unexpected '{'`); pos.i++; continue; }
    const name = tok.t;
    const args: string[] = [];
    pos.i++;
    let block: Directive[] | null = null;
    while (pos.i < toks.length) {
      const t = toks[pos.i]!;
      if (t.t === '\n') { pos.i++; break; }
      if (t.t === '}') break;
      if (t.t === '{') { pos.i++; block = parseDirectives(toks, pos, notes); break; }
      args.push(t.t);
      pos.i++;
    }
    out.push({ name, args, block });
  }
  return out;
}

/** "cluster.local:53" / ".:53" / "dns://.:53" → zone and port. */
function parseKey(key: string): { zone: string; port: number } {
  let k = key.replace(/^dns:\/\//, '');
  let port = 53;
  const colon = k.lastIndexOf(':');
  if (colon >= 0) {
    const p = Number(k.slice(colon + 1));
    if (Number.isInteger(p)) port = p;
    k = k.slice(0, colon);
  }
  return { zone: fqdn(k || '.'), port };
}

function parseNumber(s: string | undefined, dflt: number): number {
  const n = Number(s);
  return s !== undefined && Number.isInteger(n) && n >= 0 ? n : dflt;
}

function parseKubernetes(d: Directive, blockZones: readonly string[], notes: string[]): KubernetesPlugin {
  const zones = d.args.length ? d.args.map(fqdn) : [...blockZones];
  let pods: PodsMode = 'disabled';
  let namespaces: string[] | null = null;
  let ttl = 5;
  let endpointPodNames = false;
  let fallthrough: string[] | null = null;
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'pods':
        if (o.args[0] === 'insecure' || o.args[0] === 'verified' || o.args[0] === 'disabled') pods = o.args[0];
        else notes.push(`kubernetes: pods: invalid value "${o.args[0] ?? ''}" (use disabled, insecure or verified)`);
        break;
      case 'namespaces': namespaces = [...o.args]; break;
      case 'ttl': {
        const t = parseNumber(o.args[0], -1);
        if (t < 0 || t > 3600) notes.push(`kubernetes: ttl must be in range [0, 3600]: ${o.args[0] ?? ''}`);
        else ttl = t;
        break;
      }
      case 'endpoint_pod_names': endpointPodNames = true; break;
      case 'fallthrough': fallthrough = o.args.map(fqdn); break;
      // Accepted, no effect on answers in the playground.
      case 'kubeconfig': case 'endpoint': case 'tls': case 'labels': case 'noendpoints': case 'multicluster':
      case 'ignore': case 'startup_timeout': case 'apiserver_qps': case 'apiserver_burst': case 'apiserver_max_inflight': break;
      default: notes.push(`kubernetes: unknown property "${o.name}"`);
    }
  }
  return { zones, pods, namespaces, ttl, endpointPodNames, fallthrough };
}

function parseHosts(d: Directive, blockZones: readonly string[]): HostsPlugin {
  // `hosts [FILE [ZONES...]] { IP NAME...; fallthrough; ttl N }`. A file argument names a file we
  // do not have (its entries are empty); inline entries are honoured.
  const zones = d.args.length > 1 ? d.args.slice(1).map(fqdn) : [...blockZones];
  const entries: { ip: string; names: string[] }[] = [];
  let ttl = 3600;
  let fallthrough: string[] | null = null;
  for (const o of d.block ?? []) {
    if (o.name === 'fallthrough') fallthrough = o.args.map(fqdn);
    else if (o.name === 'ttl') ttl = parseNumber(o.args[0], ttl);
    else if (o.name === 'reload' || o.name === 'no_reverse') continue;
    else if (/^[0-9a-fA-F:.]+$/.test(o.name) && o.args.length) entries.push({ ip: o.name, names: o.args.map(fqdn) });
  }
  return { entries, zones, ttl, fallthrough };
}

export function parseCorefile(text: string): Corefile {
  const notes: string[] = [];
  const toks = tokenize(text);
  const servers: ServerBlock[] = [];
  const pos = { i: 0 };
  while (pos.i < toks.length) {
    const keys: string[] = [];
    while (pos.i < toks.length && toks[pos.i]!.t !== '{') {
      const t = toks[pos.i]!.t;
      if (t !== '\n' && t !== '}') keys.push(...t.split(',').filter(Boolean));
      pos.i++;
    }
    if (pos.i >= toks.length) {
      if (keys.length) notes.push(`Corefile: server block "${keys.join(' ')}" has no "{"`);
      break;
    }
    pos.i++;
    const dirs = parseDirectives(toks, pos, notes);
    const parsedKeys = (keys.length ? keys : ['.']).map(parseKey);
    const zones = parsedKeys.map((k) => k.zone);
    let kubernetes: KubernetesPlugin | null = null;
    let hosts: HostsPlugin | null = null;
    let forward: ForwardPlugin | null = null;
    let cacheTtl: number | null = null;
    for (const d of dirs) {
      switch (d.name) {
        case 'kubernetes': kubernetes = parseKubernetes(d, zones, notes); break;
        case 'hosts': hosts = parseHosts(d, zones); break;
        case 'forward':
          if (d.args.length < 2) notes.push('forward: needs a zone and at least one upstream (forward . 8.8.8.8)');
          else forward = { from: fqdn(d.args[0]!), to: d.args.slice(1).map((a) => a.replace(/^dns:\/\//, '').replace(/:53$/, '')) };
          break;
        case 'cache': cacheTtl = parseNumber(d.args[0], 3600); break;
        default:
          if (!INERT.has(d.name)) notes.push(`plugin/${d.name}: not modelled by the playground; ignored`);
      }
    }
    servers.push({ zones, port: parsedKeys[0]!.port, kubernetes, hosts, forward, cacheTtl, plugins: dirs.map((d) => d.name) });
  }
  return { servers, notes };
}

/** True when `name` is `zone` or below it (both fully qualified). */
export function inZone(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** The server block CoreDNS picks for a name: the one with the longest matching zone. */
export function serverFor(cf: Corefile, name: string): { block: ServerBlock; zone: string } | null {
  let best: { block: ServerBlock; zone: string } | null = null;
  for (const block of cf.servers) {
    if (block.port !== 53) continue;
    for (const z of block.zones) {
      if (inZone(name, z) && (!best || z.length > best.zone.length)) best = { block, zone: z };
    }
  }
  return best;
}
