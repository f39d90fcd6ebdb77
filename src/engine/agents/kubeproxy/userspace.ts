/**
 * kube-proxy, userspace mode (the original proxy, removed in Kubernetes 1.26 but still what
 * the seeds teach first). kube-proxy itself is in the data path:
 *
 *   client ─► ClusterIP:80 ─► PREROUTING: KUBE-PORTALS-CONTAINER  -j REDIRECT --to-ports P
 *   (node process) ─────────► OUTPUT:     KUBE-PORTALS-HOST       -j DNAT --to-destination nodeIP:P
 *   kube-proxy, listening on P, accepts the connection, picks a backend round-robin and opens a
 *   *second* connection to podIP:targetPort from the node — the backend sees the node's address
 *   as the source. If the backend refuses (RST), kube-proxy tries the next one before giving up.
 *
 * The listener's app is `{ kind: 'proxy', role: 'kube-proxy-userspace' }`; `userspaceProxyApp`
 * (put in the Sim's apps table by installRules) answers for it:
 *   1. the stack terminates the client's connection in the node namespace;
 *   2. the app asks `userspaceBackend(state, port, attempt)` for a backend, attempt = 0, 1, ...
 *      (the round-robin cursor moves on each new client connection, `userspaceAdvance`);
 *   3. it relays: the stack opens a new connection from the node (source = the node's address
 *      toward the backend) to that backend; on refusal or timeout the app retries with
 *      attempt + 1 until every backend was tried (kube-proxy's tryConnect loop);
 *   4. the answer goes back to the client: the trace shows two connections, not one NATed one.
 */
import { createRand } from '../../util/rand';
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { Listener } from '../../net/types';
import { said, type AppAnswer, type RelayResult } from '../../stack/apps';
import { categorizeEndpoints, allServicePorts, type ServicePortInfo } from './serviceports';
import { proto } from './names';

export const USERSPACE_ROLE = 'kube-proxy-userspace';

export interface UserspacePortal {
  /** "ns/name:port". */
  readonly servicePort: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  /** The local port kube-proxy listens on for this service port. */
  readonly proxyPort: number;
  /** Backends "ip:port" in round-robin order. */
  readonly backends: readonly string[];
}

export interface UserspaceState {
  readonly portals: Map<number, UserspacePortal>;
  /** Round-robin position per proxy port (LoadBalancerRR). */
  readonly cursor: Map<number, number>;
}

/** A random free port from the seed, as the kernel hands one to kube-proxy's listen(":0"). */
function proxyPortFor(seed: number, node: string, spn: string, protocol: string, used: Set<number>): number {
  const r = createRand(seed).fork(`userspace/${node}/${spn}/${protocol}`);
  for (;;) {
    const p = 32768 + r.int(60999 - 32768 + 1);
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
}

export function buildUserspaceState(model: ClusterModel, node: NodeModel, seed: number, ports: readonly ServicePortInfo[] = allServicePorts(model)): UserspaceState {
  const portals = new Map<number, UserspacePortal>();
  const used = new Set<number>();
  for (const s of ports) {
    const p = proto(s.protocol) as UserspacePortal['protocol'];
    const proxyPort = proxyPortFor(seed, node.name, s.name, p, used);
    portals.set(proxyPort, {
      servicePort: s.name, protocol: p, clusterIP: s.clusterIP, port: s.port.port, nodePort: s.nodePort,
      externalIPs: s.externalIPs, proxyPort, backends: categorizeEndpoints(s, node.name).cluster.map((e) => e.str),
    });
  }
  return { portals, cursor: new Map() };
}

/** The backend for the `attempt`-th try of the current connection on `proxyPort` (null: all tried). */
export function userspaceBackend(state: UserspaceState, proxyPort: number, attempt: number): string | null {
  const portal = state.portals.get(proxyPort);
  if (!portal || attempt >= portal.backends.length) return null;
  const start = state.cursor.get(proxyPort) ?? 0;
  return portal.backends[(start + attempt) % portal.backends.length]!;
}

/** A new client connection was served: the round-robin moves to the next backend. */
export function userspaceAdvance(state: UserspaceState, proxyPort: number): void {
  const portal = state.portals.get(proxyPort);
  if (!portal || portal.backends.length === 0) return;
  state.cursor.set(proxyPort, ((state.cursor.get(proxyPort) ?? 0) + 1) % portal.backends.length);
}

/** The sockets kube-proxy listens on in the node's namespace. */
export function userspaceListeners(state: UserspaceState, node: NodeModel): Listener[] {
  return [...state.portals.values()].map((p) => ({ protocol: p.protocol, address: '0.0.0.0', port: p.proxyPort, owner: `node/${node.name}`, app: { kind: 'proxy', role: USERSPACE_ROLE } }));
}

const CLUSTER_JUMP = '-m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules"';
const NODEPORT_JUMP = '-m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain"';

/** Rules of the userspace proxier, per table, in iptables-save form: jumps (appended) and chains. */
export function userspaceRules(state: UserspaceState, node: NodeModel): { nat: { chain: string; args: string }[]; filter: { chain: string; args: string }[] } {
  const nat: { chain: string; args: string }[] = [
    { chain: 'PREROUTING', args: `${CLUSTER_JUMP} -j KUBE-PORTALS-CONTAINER` },
    { chain: 'PREROUTING', args: `${NODEPORT_JUMP} -j KUBE-NODEPORT-CONTAINER` },
    { chain: 'OUTPUT', args: `${CLUSTER_JUMP} -j KUBE-PORTALS-HOST` },
    { chain: 'OUTPUT', args: `${NODEPORT_JUMP} -j KUBE-NODEPORT-HOST` },
  ];
  const filter: { chain: string; args: string }[] = [
    { chain: 'INPUT', args: '-m comment --comment "Ensure that non-local NodePort traffic can flow" -j KUBE-NODEPORT-NON-LOCAL' },
  ];
  const portals = [...state.portals.values()].sort((a, b) => (a.servicePort < b.servicePort ? -1 : a.servicePort > b.servicePort ? 1 : a.protocol < b.protocol ? -1 : 1));
  for (const p of portals) {
    const m = `-p ${p.protocol} -m comment --comment "${p.servicePort}" -m ${p.protocol}`;
    for (const ip of [p.clusterIP, ...p.externalIPs]) {
      nat.push({ chain: 'KUBE-PORTALS-CONTAINER', args: `-d ${ip}/32 ${m} --dport ${p.port} -j REDIRECT --to-ports ${p.proxyPort}` });
      nat.push({ chain: 'KUBE-PORTALS-HOST', args: `-d ${ip}/32 ${m} --dport ${p.port} -j DNAT --to-destination ${node.ip}:${p.proxyPort}` });
    }
    if (p.nodePort) {
      nat.push({ chain: 'KUBE-NODEPORT-CONTAINER', args: `${m} --dport ${p.nodePort} -j REDIRECT --to-ports ${p.proxyPort}` });
      nat.push({ chain: 'KUBE-NODEPORT-HOST', args: `${m} --dport ${p.nodePort} -j DNAT --to-destination ${node.ip}:${p.proxyPort}` });
      filter.push({ chain: 'KUBE-NODEPORT-NON-LOCAL', args: `${m} --dport ${p.proxyPort} -j ACCEPT` });
    }
  }
  return { nat, filter };
}

/** kube-proxy's userspace proxy as a stack app: round-robin, and another backend when one refuses. */
export function userspaceProxyApp(state: UserspaceState | undefined, proxyPort: number): AppAnswer {
  const portal = state?.portals.get(proxyPort);
  if (!state || !portal) return said({ kind: 'silent' }, 'app.userspaceNoPortal', { port: proxyPort });
  if (portal.backends.length === 0) return said({ kind: 'silent' }, 'app.userspaceNoEndpoints', { service: portal.servicePort });
  // The connection's own start in the round-robin: retries go on from it, whatever the cursor does meanwhile.
  const start = state.cursor.get(proxyPort) ?? 0;
  const attempt = (n: number): AppAnswer => {
    const backend = n < portal.backends.length ? portal.backends[(start + n) % portal.backends.length]! : null;
    if (!backend) return said({ kind: 'close' }, 'app.userspaceAllFailed', { service: portal.servicePort });
    const i = backend.lastIndexOf(':');
    return said({
      kind: 'relay',
      to: { ip: backend.slice(0, i), port: Number(backend.slice(i + 1)), protocol: portal.protocol === 'udp' ? 'udp' : 'tcp' },
      respond: (up: RelayResult): AppAnswer => {
        if (up.verdict === 'delivered' || up.payload) return up.payload ? said({ kind: 'reply', payload: up.payload }, 'app.userspaceRelays', { backend }) : said({ kind: 'silent' }, 'app.userspaceSilent', { backend });
        return attempt(n + 1);
      },
    } as const, n === 0 ? 'app.userspacePick' : 'app.userspaceRetry', { service: portal.servicePort, backend });
  };
  const first = attempt(0);
  userspaceAdvance(state, proxyPort);
  return first;
}
