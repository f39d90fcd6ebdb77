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
import type { Verdict } from '../../src/engine/trace/types';

export interface LabAnswer {
  readonly probe: string;
  readonly verdict: Verdict;
  readonly responder: string | null;
  readonly seenSource: string | null;
  /** conntrack entries seen after the probe, normalised (see normaliseConntrack). */
  readonly conntrack?: readonly string[];
}

export interface LabRun {
  readonly code: number | null;
  readonly answers: LabAnswer[];
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Every namespace the tier makes starts with this; one run adds a unique suffix. */
export const TIER_PREFIX = 'knpk';
let counter = 0;

export function uniquePrefix(): string {
  return `${TIER_PREFIX}${process.pid.toString(36)}${(counter++).toString(36)}`;
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
    const child = spawn('bash', ['-s'], { env: { ...process.env, KNP_LAB_PREFIX: opts.prefix }, stdio: ['pipe', 'pipe', 'pipe'] });
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
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        try { answers.push(JSON.parse(line) as LabAnswer); } catch { /* not an answer line */ }
      }
      resolve({ code, answers, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.end(script);
  });
}

/** Deletes every namespace whose name starts with `prefix` (default: the tier's own prefix). */
export function sweep(prefix = TIER_PREFIX): string[] {
  let list = '';
  try { list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }); } catch { return []; }
  const left = list.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(prefix));
  for (const n of left) {
    try { execFileSync('ip', ['netns', 'del', n]); } catch { /* already gone */ }
  }
  return left;
}

/** Only the address of an "IP:port" (ephemeral ports are the kernel's and the simulator's own choice). */
export function addrOf(seen: string | null): string | null {
  if (seen === null) return null;
  const i = seen.lastIndexOf(':');
  return i < 0 ? seen : seen.slice(0, i);
}

export interface Comparable {
  readonly verdict: string;
  readonly responder: string | null;
  readonly seenSource: string | null;
}

/** Both answers next to each other, for a failure message a reader can act on. */
export function sideBySide(title: string, left: [string, Comparable], right: [string, Comparable]): string {
  const rows: [string, string, string][] = [['', left[0], right[0]]];
  for (const k of ['verdict', 'responder', 'seenSource'] as const) rows.push([k, String(left[1][k]), String(right[1][k])]);
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
  return false;
}
