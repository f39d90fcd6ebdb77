/**
 * Where a container's process listens. In Kubernetes `containerPort` is informational: what
 * answers is the process the image (or the Pod's command) starts. So, per container, in order:
 *
 *   1. the Pod annotation `knp.io/listen.CONTAINER` (or `knp.io/listen` for the first container):
 *      "8080/tcp,53/udp" — added to whatever the process opens;
 *   2. a port the command and args state plainly: `python -m http.server N`, `nc -l -p N`,
 *      `busybox httpd -p N`, `--port=N` / `--port N`, `-listen=:N`;
 *   3. otherwise the image's well-known ports (IMAGE_PORTS), when the command still starts the
 *      image's own process (a `command: ["sleep", "3600"]` on nginx starts no nginx);
 *   4. an image the table does not know listens on its declared containerPorts, as it always did.
 *
 * Pure: reads the Pod spec only, so the control plane (warnings) and the network (sockets) agree.
 */
import type { PodModel, Protocol } from '../model/cluster';

/** The application a socket runs (see stack/apps.ts): HTTP servers answer whoami-style; others echo. */
export type ListenApp = 'http' | 'dns' | 'echo';

export interface ListenPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly app: ListenApp;
  /** Why we think it listens there (shown by diagnostics). */
  readonly source: 'annotation' | 'command' | 'image' | 'containerPort';
}

interface ImageEntry {
  /** "80/tcp", "53/udp", "11211/tcp"; the app is the table's. */
  readonly ports: readonly string[];
  readonly app: ListenApp;
  /** The process names the image's entrypoint runs: a command naming none of them replaces it. */
  readonly process: readonly string[];
}

/**
 * Well-known images by their last path component without tag ("docker.io/library/nginx:1.25" →
 * "nginx", "traefik/whoami" → "whoami"). Documented in docs/scenario-format.md ("Where containers listen").
 */
export const IMAGE_PORTS: Readonly<Record<string, ImageEntry>> = {
  nginx: { ports: ['80/tcp'], app: 'http', process: ['nginx'] },
  'nginx-unprivileged': { ports: ['8080/tcp'], app: 'http', process: ['nginx'] },
  httpd: { ports: ['80/tcp'], app: 'http', process: ['httpd', 'httpd-foreground'] },
  caddy: { ports: ['80/tcp', '443/tcp'], app: 'http', process: ['caddy'] },
  whoami: { ports: ['80/tcp'], app: 'http', process: ['whoami', '/whoami'] },
  echoserver: { ports: ['8080/tcp'], app: 'http', process: ['echoserver', 'nginx'] },
  'http-echo': { ports: ['5678/tcp'], app: 'http', process: ['http-echo', '/http-echo'] },
  traefik: { ports: ['80/tcp'], app: 'http', process: ['traefik'] },
  tomcat: { ports: ['8080/tcp'], app: 'http', process: ['catalina.sh'] },
  redis: { ports: ['6379/tcp'], app: 'echo', process: ['redis-server'] },
  memcached: { ports: ['11211/tcp'], app: 'echo', process: ['memcached'] },
  mysql: { ports: ['3306/tcp'], app: 'echo', process: ['mysqld'] },
  mariadb: { ports: ['3306/tcp'], app: 'echo', process: ['mysqld', 'mariadbd'] },
  postgres: { ports: ['5432/tcp'], app: 'echo', process: ['postgres'] },
  mongo: { ports: ['27017/tcp'], app: 'echo', process: ['mongod'] },
  rabbitmq: { ports: ['5672/tcp'], app: 'echo', process: ['rabbitmq-server'] },
  coredns: { ports: ['53/udp', '53/tcp', '9153/tcp'], app: 'dns', process: ['coredns', '/coredns'] },
  // Images whose default process listens nowhere (a shell, a sleep, the pause container).
  busybox: { ports: [], app: 'echo', process: [] },
  busyboxplus: { ports: [], app: 'echo', process: [] },
  alpine: { ports: [], app: 'echo', process: [] },
  ubuntu: { ports: [], app: 'echo', process: [] },
  debian: { ports: [], app: 'echo', process: [] },
  centos: { ports: [], app: 'echo', process: [] },
  curl: { ports: [], app: 'echo', process: [] },
  netshoot: { ports: [], app: 'echo', process: [] },
  dnsutils: { ports: [], app: 'echo', process: [] },
  python: { ports: [], app: 'http', process: [] },
  pause: { ports: [], app: 'echo', process: [] },
};

/** "registry.k8s.io/coredns/coredns:v1.11.1@sha256:…" → "coredns". */
export function imageKey(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0]!.toLowerCase();
}

export const LISTEN_ANNOTATION = 'knp.io/listen';

/** Parses "8080/tcp,53/udp" (protocol defaults to tcp); null entries are errors. */
export function parseListenSpec(text: string): { port: number; protocol: Protocol }[] | string {
  const out: { port: number; protocol: Protocol }[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(raw);
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535) return `"${raw}" is not PORT or PORT/PROTOCOL`;
    out.push({ port, protocol: (m[2] ?? 'tcp').toUpperCase() as Protocol });
  }
  return out;
}

const baseName = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

/** A port the command line states plainly, or null. */
export function commandPorts(words: readonly string[]): { port: number; protocol: Protocol; app: ListenApp }[] | null {
  // `sh -c "…"` hides the real command in one word: read its words too.
  const flat = words.flatMap((w) => (/\s/.test(w) ? w.split(/\s+/).filter(Boolean) : [w]));
  const num = (s: string | undefined): number | null => {
    if (s === undefined) return null;
    const m = /^(?:[\d.]*:)?(\d{1,5})$/.exec(s);
    return m && Number(m[1]) > 0 && Number(m[1]) < 65536 ? Number(m[1]) : null;
  };
  // python -m http.server [N]
  const mi = flat.findIndex((w, i) => w === 'http.server' && flat[i - 1] === '-m');
  if (mi >= 0) {
    const n = flat.slice(mi + 1).find((w) => !w.startsWith('-'));
    return [{ port: num(n) ?? 8000, protocol: 'TCP', app: 'http' }];
  }
  // nc -l -p N, nc -lp N, nc -lk -p N, nc -l N, nc -ulp N
  const ni = flat.findIndex((w) => ['nc', 'ncat', 'netcat'].includes(baseName(w)));
  if (ni >= 0) {
    const rest = flat.slice(ni + 1);
    const listen = rest.some((w) => /^-[a-z]*l[a-z]*$/i.test(w) && !w.startsWith('--'));
    if (listen) {
      const udp = rest.some((w) => /^-[a-z]*u[a-z]*$/i.test(w));
      let port: number | null = null;
      for (let i = 0; i < rest.length; i++) {
        const w = rest[i]!;
        if (/^-[a-z]*p$/i.test(w)) { port = num(rest[i + 1]); break; }
        if (/^-[a-z]*p\d+$/i.test(w)) { port = num(w.replace(/^-[a-z]*p/i, '')); break; }
      }
      if (port === null) port = num(rest.find((w) => !w.startsWith('-')));
      if (port !== null) return [{ port, protocol: udp ? 'UDP' : 'TCP', app: 'echo' }];
    }
  }
  // busybox httpd -p N / httpd -f -p N
  const hi = flat.findIndex((w) => baseName(w) === 'httpd');
  if (hi >= 0) {
    const rest = flat.slice(hi + 1);
    const pi = rest.indexOf('-p');
    return [{ port: (pi >= 0 ? num(rest[pi + 1]) : null) ?? 80, protocol: 'TCP', app: 'http' }];
  }
  // --port=N, --port N, -port N, -listen=:N, --listen :N
  for (let i = 0; i < flat.length; i++) {
    const w = flat[i]!;
    const m = /^--?(port|listen|listen-address|http-port)(?:=(.*))?$/.exec(w);
    if (!m) continue;
    const n = num(m[2] ?? flat[i + 1]);
    if (n !== null) return [{ port: n, protocol: 'TCP', app: 'http' }];
  }
  return null;
}

/** The parts of a container spec that decide where it listens. */
export interface ContainerSpec {
  readonly name: string;
  readonly image?: string | undefined;
  readonly ports?: readonly { readonly containerPort: number; readonly protocol?: Protocol | undefined }[] | undefined;
  readonly command?: readonly string[] | undefined;
  readonly args?: readonly string[] | undefined;
}

/** The sockets one container's process opens. `index` is its position in the Pod. */
export function containerListens(pod: { readonly meta: { readonly annotations: Readonly<Record<string, string>> } }, c: ContainerSpec, index: number): ListenPort[] {
  const out: ListenPort[] = [];
  const add = (port: number, protocol: Protocol, app: ListenApp, source: ListenPort['source']) => {
    if (!out.some((x) => x.port === port && x.protocol === protocol)) out.push({ port, protocol, app, source });
  };
  const entry = IMAGE_PORTS[imageKey(c.image ?? '')];
  const words = [...(c.command ?? []), ...(c.args ?? [])];
  const stated = words.length ? commandPorts(words) : null;
  if (stated) for (const p of stated) add(p.port, p.protocol, entry?.app === 'dns' ? 'dns' : p.app, 'command');
  else if (entry) {
    // A command replaces the entrypoint: the image's server runs only if the command still names it.
    const runsServer = !c.command?.length || c.command.some((w) => w.split(/\s+/).some((x) => entry.process.includes(x) || entry.process.includes(baseName(x))));
    if (runsServer) {
      for (const p of entry.ports) {
        const [port, proto] = p.split('/');
        add(Number(port), proto!.toUpperCase() as Protocol, entry.app, 'image');
      }
    }
  } else {
    for (const p of c.ports ?? []) add(p.containerPort, p.protocol ?? 'TCP', (p.protocol ?? 'TCP') === 'UDP' ? 'echo' : 'http', 'containerPort');
  }
  const anns = pod.meta.annotations ?? {};
  const ann = anns[`${LISTEN_ANNOTATION}.${c.name}`] ?? (index === 0 ? anns[LISTEN_ANNOTATION] : undefined);
  if (ann !== undefined) {
    const parsed = parseListenSpec(ann);
    if (typeof parsed !== 'string') for (const p of parsed) add(p.port, p.protocol, entry?.app === 'dns' && p.port === 53 ? 'dns' : p.protocol === 'TCP' ? (entry?.app ?? 'http') : 'echo', 'annotation');
  }
  return out;
}

/** Whether any container of the Pod listens on port/protocol. */
export function podListensOn(pod: Pick<PodModel, 'meta' | 'spec'>, port: number, protocol: Protocol): boolean {
  return pod.spec.containers.some((c, i) => containerListens(pod, c, i).some((l) => l.port === port && l.protocol === protocol));
}

/** "80/TCP, 443/TCP" or "nothing" for messages. */
export function listensText(pod: Pick<PodModel, 'meta' | 'spec'>): string {
  const all = pod.spec.containers.flatMap((c, i) => containerListens(pod, c, i));
  return all.length ? all.map((l) => `${l.port}/${l.protocol}`).join(', ') : 'nothing';
}
