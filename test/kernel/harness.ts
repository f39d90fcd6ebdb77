/**
 * Runs an exported lab script on this machine's kernel and reads its answers back.
 *
 * Safety: every run gets its own namespace prefix (KNP_LAB_PREFIX), the script builds only
 * inside namespaces it creates and removes them on exit; `sweep` deletes any namespace left
 * with the tier's prefix (a killed run, a crashed worker) and runs in afterAll.
 *
 * The tier never skips: not being root is a failure with a message that says why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { threadId } from 'node:worker_threads';
import type { Verdict } from '../../src/engine/trace/types';

export interface LabAnswer {
  readonly probe: string;
  readonly verdict: Verdict;
  readonly responder: string | null;
  readonly seenSource: string | null;
  /** ICMP probes answered by an error: the address that sent it. */
  readonly icmpFrom?: string;
  /** conntrack entries seen after the probe, normalised (see normaliseConntrack). */
  readonly conntrack?: readonly string[];
  /** IPv6 labs: the neighbour entries NDP has learned so far, after the probe (see neighShape). */
  readonly neigh6?: readonly string[];
}

export interface LabRun {
  readonly code: number | null;
  readonly answers: LabAnswer[];
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Every namespace the tier makes is named "knpk-PID-T-N-...": PID is the test process and T its
 * worker thread (vitest runs test files in threads of one process), N counts their runs. Other
 * worktrees and CI jobs may run the tier at the same time on the same kernel, so a sweep only
 * ever removes its own thread's namespaces and those of processes that no longer exist.
 */
export const TIER_PREFIX = 'knpk-';
let counter = 0;

export function uniquePrefix(): string {
  return `${OWN}-${(counter++).toString(36)}`;
}

const OWN = `${TIER_PREFIX}${process.pid.toString(36)}-${threadId.toString(36)}`;

function ownerAlive(name: string): boolean {
  const pid = parseInt(name.slice(TIER_PREFIX.length).split('-')[0] ?? '', 36);
  if (!Number.isFinite(pid) || pid <= 0) return false;
  if (name.startsWith(`${OWN}-`)) return false;
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function requireRoot(): void {
  const uid = process.getuid?.();
  if (uid !== 0) {
    throw new Error(
      `the kernel tier needs root (uid 0, CAP_NET_ADMIN) to create network namespaces; this process runs as uid ${uid}. ` +
      'Run it as root (CI does): sudo npx vitest run test/kernel',
    );
  }
}

export function runLab(script: string, opts: { prefix: string; timeoutMs?: number }): Promise<LabRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-s'], { env: { ...process.env, KNP_LAB_PREFIX: opts.prefix, KNP_LAB_CONNTRACK: '1', KNP_LAB_NEIGH: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      stderr += `\nkernel tier: lab did not finish in ${opts.timeoutMs ?? 60_000} ms; sent SIGTERM (the script's trap cleans up)\n`;
      child.kill('SIGTERM');
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const answers: LabAnswer[] = [];
      // conntrack dumps come after their probe; an entry belongs to the first probe it shows up after.
      const seen = new Set<string>();
      const fresh = new Map<string, string[]>();
      const neigh = new Map<string, string[]>();
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        let j: Record<string, unknown>;
        try { j = JSON.parse(line) as Record<string, unknown>; } catch { continue; }
        if (typeof j.neighOf === 'string') {
          const shape = neighShape(String(j.ns), String(j.entry));
          neigh.set(j.neighOf, [...(neigh.get(j.neighOf) ?? []), ...(shape ? [shape] : [])]);
        } else if (typeof j.conntrackOf === 'string') {
          // Multicast (IGMP reports of a bridge joining its groups) is the kernel's own chatter, not a probe's.
          if (/\bdst=2(2[4-9]|3\d)\./.test(String(j.entry))) continue;
          // Identity: the namespace and both tuples with their ports (timeouts and states move on).
          const id = `${String(j.ns)} ${(String(j.entry).match(/\b(src|dst|sport|dport|type|code|id)=\S+/g) ?? []).join(' ')}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const shape = `${String(j.ns)} ${normaliseConntrack(String(j.entry))}`;
          fresh.set(j.conntrackOf, [...(fresh.get(j.conntrackOf) ?? []), shape]);
        } else answers.push(j as unknown as LabAnswer);
      }
      for (let i = 0; i < answers.length; i++) {
        const ct = fresh.get(answers[i]!.probe);
        if (ct) answers[i] = { ...answers[i]!, conntrack: ct.sort() };
        const nb = neigh.get(answers[i]!.probe);
        if (nb) answers[i] = { ...answers[i]!, neigh6: nb.sort() };
      }
      resolve({ code, answers, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.end(script);
  });
}

/**
 * The shape of a conntrack entry, without what each kernel chooses for itself (timeouts,
 * ephemeral source ports, ids, counters):
 *   "tcp 10.2.1.2 > 10.2.1.1:8080 | reply 10.2.2.2:80 > 10.2.2.1"
 */
export function normaliseConntrack(line: string): string {
  const proto = line.trim().split(/\s+/)[0] ?? '?';
  const src = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]);
  const dst = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]);
  const sport = [...line.matchAll(/\bsport=(\d+)/g)].map((m) => m[1]);
  const dport = [...line.matchAll(/\bdport=(\d+)/g)].map((m) => m[1]);
  const orig = `${src[0]} > ${dst[0]}${dport[0] ? `:${dport[0]}` : ''}`;
  const reply = `${src[1]}${sport[1] ? `:${sport[1]}` : ''} > ${dst[1]}`;
  return `${proto} ${orig} | reply ${reply}`;
}

/**
 * What NDP learned, from one `ip -6 neigh show` line: "NS IP dev DEV lladdr MAC", or null for
 * entries that were written rather than learned (PERMANENT) and for ones that hold no address
 * (INCOMPLETE, FAILED). The state itself (REACHABLE, STALE, DELAY, PROBE) moves with time and is
 * left out.
 */
export function neighShape(ns: string, line: string): string | null {
  const m = /^(\S+) dev (\S+) lladdr (\S+)/.exec(line.trim());
  if (!m || /\bPERMANENT\b/.test(line)) return null;
  return `${ns} ${m[1]} dev ${m[2]} lladdr ${m[3]}`;
}

/**
 * Deletes the namespaces a run left behind: those starting with `prefix` (one run), or by default
 * every tier namespace of this process or of a process that has exited. Returns what it deleted.
 */
export function sweep(prefix?: string): string[] {
  let list = '';
  try { list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }); } catch { return []; }
  const names = list.split('\n').map((l) => l.split(' ')[0] ?? '');
  const left = prefix !== undefined
    ? names.filter((n) => n.startsWith(`${prefix}-`))
    : names.filter((n) => n.startsWith(TIER_PREFIX) && !ownerAlive(n));
  for (const n of left) {
    try { execFileSync('ip', ['netns', 'del', n]); } catch { /* already gone */ }
  }
  return left;
}

/** Only the address of an "IP:port" (ephemeral ports are the kernel's and the simulator's own choice). */
export function addrOf(seen: string | null): string | null {
  if (seen === null) return null;
  // host:port as net.JoinHostPort writes it ([v6]:port): the address without its brackets.
  const i = seen.lastIndexOf(':');
  const host = i < 0 ? seen : seen.slice(0, i);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export interface Comparable {
  readonly verdict: string;
  readonly responder: string | null;
  readonly seenSource: string | null;
  /** The sender of an ICMP error, where it is determined. */
  readonly icmpFrom?: string;
}

/** Both answers next to each other, for a failure message a reader can act on. */
export function sideBySide(title: string, left: [string, Comparable], right: [string, Comparable]): string {
  const rows: [string, string, string][] = [['', left[0], right[0]]];
  for (const k of ['verdict', 'responder', 'seenSource'] as const) rows.push([k, String(left[1][k]), String(right[1][k])]);
  if (left[1].icmpFrom !== undefined || right[1].icmpFrom !== undefined) rows.push(['icmpFrom', String(left[1].icmpFrom), String(right[1].icmpFrom)]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}${a && b !== c ? '   <-- differs' : ''}`);
  return `${title}\n${lines.join('\n')}`;
}

/** The fields the tier compares: verdict always; responder and seen address where `expect` determines them. */
export function differs(expect: Comparable, got: Comparable): boolean {
  if (expect.verdict !== got.verdict) return true;
  if (expect.responder !== null && expect.responder !== got.responder) return true;
  if (expect.seenSource !== null && addrOf(expect.seenSource) !== addrOf(got.seenSource)) return true;
  if (expect.icmpFrom !== undefined && expect.icmpFrom !== got.icmpFrom) return true;
  return false;
}
