/**
 * Property-based fuzzing of the three ways hostile input reaches the engine (issue #20):
 * scenario YAML, terminal command lines, share links. Shared by the CI test
 * (test/fuzz/fuzz.test.ts) and `npm run fuzz` (scripts/fuzz.ts), so a seed printed by one
 * reproduces in the other.
 *
 * The properties, for every input: no exception escapes; the time stays under a bound that
 * grows with the input's size; a scenario gives a simulation plus diagnostics that each carry a
 * line, a column and a code; a command gives its output or a one-line error (never the
 * dispatcher's "internal error", which means a command threw); and the simulation still answers
 * the next command afterwards.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { buildSim, runLine, walk, type Sim } from '../../src/engine/index';
import { commandNames } from '../../src/engine/shell/registry';
import type { Target } from '../../src/engine/shell/types';
import { decodeLink, encodeFragment } from '../../src/engine/share/link';

/** A link that carries only a scenario, as the Share button makes it (the codec is src/engine/share). */
async function encodeScenario(yaml: string): Promise<string> {
  return `#${encodeFragment({ yaml, journal: [] })}`;
}
/** The scenario a link carries, or null when the link is refused (with its stable code). */
async function decodeScenario(hash: string): Promise<string | null> {
  const d = decodeLink(hash);
  return d.ok ? d.state.yaml : null;
}

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

function yamlFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try { names = readdirSync(dir).sort(); } catch { return out; }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(yamlFiles(p));
    else if (/\.ya?ml$/.test(n)) out.push(p);
  }
  return out;
}

/** Every scenario, lesson and challenge in the repository (content/), plus the bad-input cases. */
export function corpus(): { path: string; text: string }[] {
  return [...yamlFiles(join(ROOT, 'content')), ...yamlFiles(join(ROOT, 'test', 'bad-input', 'cases'))]
    .map((p) => ({ path: p.slice(ROOT.length + 1), text: readFileSync(p, 'utf8') }));
}

// ---------------------------------------------------------------------------------------------
// Failures

export class FuzzFailure extends Error {}

/** Now, in CPU milliseconds of this process (user + system). */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function must(cond: unknown, what: string): asserts cond {
  if (!cond) throw new FuzzFailure(what);
}

/**
 * The CPU time an input of `bytes` may take: a fixed allowance plus a linear term (2 ms per KB,
 * so 5 MB may take 20 s). CPU, not wall time: the machines CI runs on are shared, and a busy
 * neighbour multiplied wall time by ten (2,000 Pods: 1.1 s of CPU, 11.9 s of wall). It is the
 * process's CPU, so test files running beside this one in other threads can only inflate it. A
 * hang or a super-linear blow-up still fails it; the typical figures are in the report.
 */
export function timeBoundMs(bytes: number): number {
  return 10_000 + bytes / 500;
}

export interface Stats {
  tried: number;
  /** Slowest input per size class: class → { ms, bytes, label }. */
  slowest: Map<string, { ms: number; bytes: number; label: string }>;
}

export function newStats(): Stats {
  return { tried: 0, slowest: new Map() };
}

export function sizeClass(bytes: number): string {
  if (bytes < 1_000) return '<1 KB';
  if (bytes < 10_000) return '1-10 KB';
  if (bytes < 100_000) return '10-100 KB';
  if (bytes < 1_000_000) return '100 KB-1 MB';
  return '>=1 MB';
}

function record(stats: Stats, bytes: number, ms: number, label: string): void {
  stats.tried++;
  const k = sizeClass(bytes);
  const cur = stats.slowest.get(k);
  if (!cur || ms > cur.ms) stats.slowest.set(k, { ms, bytes, label });
  must(ms <= timeBoundMs(bytes), `took ${ms.toFixed(0)} ms for ${bytes} bytes (bound ${timeBoundMs(bytes).toFixed(0)} ms)`);
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the surfaces

const HOST: Target = { kind: 'node', name: 'node-1' };

/** A command's result: never the dispatcher's "internal error" (a command threw). */
function checkCommandResult(line: string, r: { stdout: string; stderr: string; exitCode: number }): void {
  must(typeof r.stdout === 'string' && typeof r.stderr === 'string' && Number.isInteger(r.exitCode), `malformed result for ${JSON.stringify(line)}`);
  must(!/: internal error: /.test(r.stderr), `a command threw: ${r.stderr.trim()}`);
}

/** The simulation still answers: a read-only command and (`walkToo`) one packet walk. */
function checkUsable(sim: Sim, target: Target, walkToo = true): void {
  for (const line of ['ip route', 'kubectl get pods -A']) checkCommandResult(line, runLine(sim, target, line));
  if (!walkToo) return;
  const nodes = sim.model.nodes;
  const from = nodes[0] ? `node/${nodes[0].name}` : 'node/node-1';
  const t = walk(sim, { from, to: '10.96.0.1:443' });
  must(typeof t.verdict === 'string', 'walk gave no verdict');
}

function checkDiagnostics(text: string, ds: readonly { line: number; col: number; code: string; message: string }[]): void {
  const lines = text.split('\n').length;
  for (const d of ds) {
    must(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1, `diagnostic ${d.code} at line ${d.line} (text has ${lines})`);
    must(Number.isInteger(d.col) && d.col >= 1, `diagnostic ${d.code} at column ${d.col}`);
    must(/^[a-z0-9-]+$/.test(d.code), `diagnostic code ${JSON.stringify(d.code)} is not a stable code`);
    must(d.message.length > 0, `diagnostic ${d.code} has no message`);
  }
}

/** The scenario property: build, diagnostics located, bounded, usable afterwards. */
export function checkScenario(text: string, stats: Stats, label: string): void {
  const t0 = cpuNow();
  const { sim, diagnostics } = buildSim(text, { seed: 7 });
  const ms = cpuNow() - t0;
  checkDiagnostics(text, diagnostics);
  checkUsable(sim, HOST);
  record(stats, text.length, ms, label);
}

// ---------------------------------------------------------------------------------------------
// Scenarios: mutations of the corpus and hostile generators

export type Mutation =
  | { op: 'delete' | 'duplicate' | 'indent' | 'dedent' | 'truncate' | 'dupkey' | 'separator'; at: number; n: number }
  | { op: 'swap' | 'number' | 'unicode'; at: number; n: number; s: string };

const TYPE_SWAPS = ['null', '[]', '{}', '"x"', '-1', 'true', '0.5', '~', '!!binary AAAA', '.nan', '-.inf', '0x7fffffff', '1e308', "''", '[1, [2, [3]]]', '{a: {b: {c: 1}}}', '*undefinedAlias', '&anchor x'];
const NUMBERS = ['-1', '0', '65536', '99999999999999999999', '-2147483649', '4294967296', '1e400', '-0', '3.14159', '1_000', '0o777', '9007199254740993'];
const UNICODE = ['é', 'ü', '中文', '🙂', '\u200b', '\u202e', '\ufeff', 'Ω', '\u0000', '\t', '\r', 'ﬀ', '𝕏', '\ud800', 'İ'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'truncate', 'dupkey', 'separator') as fc.Arbitrary<'delete'>, at: fc.nat(400), n: fc.nat(200) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(400), n: fc.nat(200), s: fc.constantFrom(...TYPE_SWAPS) }),
  fc.record({ op: fc.constant('number' as const), at: fc.nat(400), n: fc.nat(200), s: fc.constantFrom(...NUMBERS) }),
  fc.record({ op: fc.constant('unicode' as const), at: fc.nat(400), n: fc.nat(200), s: fc.oneof(fc.constantFrom(...UNICODE), fc.string({ unit: 'binary', maxLength: 6 })) }),
);

export function mutate(text: string, ms: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of ms) {
    const at = lines.length ? m.at % lines.length : 0;
    const line = lines[at] ?? '';
    switch (m.op) {
      case 'delete': lines.splice(at, 1); break;
      case 'duplicate': lines.splice(at, 0, lines[m.n % Math.max(1, lines.length)] ?? ''); break;
      case 'indent': lines[at] = ' '.repeat(1 + (m.n % 4)) + line; break;
      case 'dedent': lines[at] = line.trimStart(); break;
      case 'truncate': lines[at] = line.slice(0, m.n % (line.length + 1)); break;
      case 'dupkey': lines.splice(at + 1, 0, line); break;
      case 'separator': lines.splice(at, 0, '---'); break;
      case 'swap': lines[at] = /:\s/.test(line) ? line.replace(/:\s.*/, `: ${m.s}`) : `${line} ${m.s}`; break;
      case 'number': lines[at] = /\d+/.test(line) ? line.replace(/\d+/, m.s) : `${line}: ${m.s}`; break;
      case 'unicode': { const c = m.n % (line.length + 1); lines[at] = line.slice(0, c) + m.s + line.slice(c); break; }
    }
  }
  return lines.join('\n');
}

/** Inputs no corpus mutation reaches: sized by `scale` (1 in CI; the fuzz script raises it). */
export function hostileArb(scale: number): fc.Arbitrary<{ label: string; text: string }> {
  const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`;
  return fc.oneof(
    fc.integer({ min: 1, max: 100 * scale }).map((n) => ({ label: `${n} documents`, text: Array.from({ length: n }, (_, i) => pod(`p${i}`)).join('---\n') })),
    fc.integer({ min: 1, max: 100 * scale }).map((n) => ({ label: `${n} empty documents`, text: '---\n'.repeat(n) })),
    fc.integer({ min: 1, max: 50_000 * scale }).map((n) => ({ label: `${n}-byte value`, text: pod('x').replace('image: nginx', `image: ${'a'.repeat(n)}`) })),
    fc.integer({ min: 1, max: 50_000 * scale }).map((n) => ({ label: `${n}-byte name`, text: pod('x'.repeat(n)) })),
    fc.integer({ min: 1, max: 200 * scale }).map((n) => ({ label: `nesting ${n} (flow)`, text: `${pod('x')}extra: ${'['.repeat(n)}${']'.repeat(n)}\n` })),
    fc.integer({ min: 1, max: 60 * scale }).map((n) => ({ label: `nesting ${n} (block)`, text: `${pod('x')}extra:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n` })),
    fc.integer({ min: 1, max: 12 }).map((n) => {
      // The billion laughs: each level names the previous one ten times.
      const ls = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i <= n; i++) ls.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
      return { label: `alias bomb ${n} levels`, text: `${pod('x')}${ls.join('\n')}\n` };
    }),
    fc.integer({ min: 1, max: 12 }).map((n) => ({ label: `alias bomb in spec ${n}`, text: `apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: &l {a: b}}\nspec:\n  containers: &c [{name: c, image: nginx, env: &e [${Array(n).fill('{name: x, value: y}').join(', ')}]}]\n  x: [${Array(n).fill('*c').join(', ')}]\n` })),
    fc.integer({ min: 2, max: 40 * scale }).map((n) => ({ label: `${n} duplicate keys`, text: `apiVersion: v1\n${'kind: Pod\n'.repeat(n)}metadata: {name: x}\nspec: {containers: [{name: c, image: nginx}]}\n` })),
    fc.string({ unit: 'binary', maxLength: 300 * scale }).map((s) => ({ label: 'random unicode', text: s })),
    fc.string({ unit: fc.constantFrom(':', '-', ' ', '\n', '[', ']', '{', '}', '&', '*', '!', '|', '>', '#', '"', "'", 'a', '1', ',', '?', '%', '@', '`'), maxLength: 400 * scale }).map((s) => ({ label: 'yaml punctuation', text: s })),
  );
}

export function scenarioArb(texts: readonly { path: string; text: string }[], scale: number): fc.Arbitrary<{ label: string; text: string }> {
  const mutated = fc.tuple(fc.constantFrom(...texts), fc.array(mutationArb, { minLength: 1, maxLength: 5 }))
    .map(([c, ms]) => ({ label: `${c.path} with ${ms.length} mutations`, text: mutate(c.text, ms) }));
  return fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: hostileArb(scale), weight: 1 });
}

// ---------------------------------------------------------------------------------------------
// Command lines against a live simulation

const WORDS = [
  // flags the tools take
  '-n', '-t', 'nat', 'filter', 'mangle', 'raw', '-L', '-S', '-A', '-I', '-D', '-F', '-X', '-N', '-j', '-p', 'tcp', 'udp', '-s', '-d', '--dport', '--sport',
  '-m', 'comment', '--comment', 'state', '--state', '-c', '-o', 'wide', 'yaml', 'json', 'jsonpath={.items[*].metadata.name}', '-l', 'app=x', '-A', '--all-namespaces',
  '-4', '-6', '-d', '-j', '-br', '-s', '-a', '-e', '-i', '-v', '--help', '-h', '-w', '-1', '--replicas=0', '--replicas=1000000', '--replicas=-1', '-x',
  // subcommands and objects
  'get', 'describe', 'delete', 'scale', 'exec', 'logs', 'apply', 'pods', 'svc', 'services', 'endpoints', 'ep', 'nodes', 'deploy', 'deployment', 'netpol', 'all',
  'addr', 'link', 'route', 'neigh', 'rule', 'netns', 'show', 'list', 'add', 'del', 'set', 'up', 'down', 'dev', 'via', 'table', 'local', 'main', 'default', 'lookup',
  'fdb', 'vlan', 'KUBE-SERVICES', 'KUBE-X', 'INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING', 'ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'RETURN',
  'kube-system', 'default', 'my-nginx', 'client', 'node-1', 'node-2', 'cni0', 'eth0', 'flannel.1', 'lo', 'veth0', 'net.ipv4.ip_forward', 'net.ipv4.ip_forward=0',
  // addresses and numbers
  '10.96.0.1', '10.96.0.10', '10.244.0.0/16', '10.244.1.2', '192.168.1.11', '0.0.0.0/0', '::1', '256.1.1.1', '1.2.3', '10.0.0.0/33', '-1', '0', '65535', '65536',
  '99999999999999999999', '1e9', 'NaN', '80', '443', '53', 'http://my-nginx', 'my-nginx.default.svc.cluster.local', 'kubernetes', '/etc/resolv.conf', '/etc/hosts', '/proc/net/nf_conntrack',
  // shell-ish and hostile
  '', ' ', '\'', '"', '\\', '$(reboot)', '`id`', '*', '?', '~', '..', '../../etc/passwd', '%s%s%s', '{{.}}', '中文', '🙂', '\u202e', '--', '-', '=', '==', '(', ')', '[', ']',
  '(a+)+$', '.*.*.*.*.*.*.*.*b',
];

const FILTERS = ['grep KUBE', 'grep -v x', 'grep -c .', 'grep -i', 'grep (', 'head -n 2', 'head -3', 'tail -n -1', 'tail', 'wc -l', 'wc', 'sort', 'sort -r', 'cat', 'nl', 'awk \'{print $1}\''];

function quote(w: string, how: number): string {
  switch (how) {
    case 1: return `'${w}'`;
    case 2: return `"${w}"`;
    case 3: return `'${w}`; // an unterminated quote
    default: return w;
  }
}

export const wordArb: fc.Arbitrary<string> = fc.tuple(
  fc.oneof({ arbitrary: fc.constantFrom(...WORDS), weight: 6 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }, { arbitrary: fc.integer().map(String), weight: 1 }),
  fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
).map(([w, q]) => quote(w, q));

export function commandArb(names: readonly string[]): fc.Arbitrary<string> {
  const one = fc.tuple(
    fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 12 }, { arbitrary: fc.constantFrom('sudo', 'ip netns exec cni-0', 'kubectl exec client --'), weight: 1 }),
    fc.array(wordArb, { maxLength: 7 }),
  ).map(([n, args]) => [n, ...args].join(' '));
  const tail = fc.array(fc.oneof(
    fc.constantFrom(...FILTERS).map((f) => ` | ${f}`),
    one.map((c) => ` && ${c}`),
    one.map((c) => ` ; ${c}`),
    fc.constant(' # a comment'),
    fc.constant(' |'),
  ), { maxLength: 2 });
  return fc.tuple(one, tail).map(([c, t]) => c + t.join(''));
}

export const targetArb: fc.Arbitrary<Target> = fc.constantFrom<Target>(
  { kind: 'node', name: 'node-1' },
  { kind: 'node', name: 'node-2' },
  { kind: 'pod', namespace: 'default', name: 'client' },
  { kind: 'host', name: 'laptop' },
  { kind: 'workstation' },
  { kind: 'node', name: 'no-such-node' },
);

/**
 * A live simulation that command sequences run against. Built once from the default scenario
 * and rebuilt only after a sequence changed it, so every sequence starts from the same state
 * (kernel caches such as conntrack and ARP aside, which commands may legitimately fill).
 */
export class LiveSim {
  private sim: Sim | null = null;
  private dirty = true;
  constructor(private readonly text: string) {}
  get(): Sim {
    if (this.dirty || !this.sim) { this.sim = buildSim(this.text).sim; this.dirty = false; }
    return this.sim;
  }
  touched(): void { this.dirty = true; }
}

export function checkCommands(live: LiveSim, seq: readonly { target: Target; line: string }[], stats: Stats): void {
  const sim = live.get();
  try {
    for (const { target, line } of seq) {
      const t0 = cpuNow();
      const r = runLine(sim, target, line);
      const ms = cpuNow() - t0;
      if (r.changed) live.touched();
      checkCommandResult(line, r);
      record(stats, line.length, ms, line);
    }
    checkUsable(sim, HOST, false);
  } catch (e) {
    live.touched();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Share links

/** A link fragment: a real encoded scenario, truncated or altered, or random text. */
export function linkArb(encoded: readonly string[]): fc.Arbitrary<string> {
  const real = fc.tuple(fc.constantFrom(...encoded), fc.nat(), fc.nat(), fc.constantFrom('', 'A', '_', '-', '=', '%', '&s=', '#')).map(([e, cut, at, ins]) => {
    const c = cut % (e.length + 1);
    const t = e.slice(0, Math.max(2, c));
    const i = at % (t.length + 1);
    return `#${t.slice(0, i)}${ins}${t.slice(i)}`;
  });
  const random = fc.tuple(fc.constantFrom('', '#', '#s=', 's=', '#x=1&s=', '#v=1&d=', 'v=1&d=', '#v=2&d='), fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=&#%+/'.split('')), maxLength: 200 }))
    .map(([p, s]) => p + s);
  const junk = fc.string({ unit: 'binary', maxLength: 100 });
  const intact = fc.constantFrom(...encoded).map((e) => `#${e}`);
  return fc.oneof({ arbitrary: real, weight: 12 }, { arbitrary: random, weight: 8 }, { arbitrary: junk, weight: 4 }, { arbitrary: intact, weight: 1 });
}

export async function encodeCorpus(texts: readonly { text: string }[]): Promise<string[]> {
  return Promise.all(texts.map(async (t) => (await encodeScenario(t.text)).replace(/^#?/, '')));
}

/** The link property: decoding never throws, and whatever decodes builds as a scenario. */
export async function checkLink(hash: string, stats: Stats, decodedStats: { decoded: number }): Promise<void> {
  const t0 = cpuNow();
  const text = await decodeScenario(hash);
  const ms = cpuNow() - t0;
  must(text === null || typeof text === 'string', 'decode gave neither text nor null');
  record(stats, hash.length, ms, hash.slice(0, 80));
  if (text !== null) {
    decodedStats.decoded++;
    checkScenario(text, newStats(), `decoded link ${hash.slice(0, 40)}`);
  }
}

export { commandNames };
