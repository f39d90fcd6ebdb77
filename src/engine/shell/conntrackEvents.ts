/**
 * `conntrack -E`: the connection tracker's event stream for the traffic sent while it runs, as
 * conntrack-tools prints it. A streaming command (see Stream in types.ts): run it in the
 * background, send traffic, `wait`. Every other conntrack form (-L, -D, -C, -F) is the plain
 * command in iptables.ts.
 *
 *       [NEW] tcp      6 120 SYN_SENT src=… dst=… sport=… dport=… [UNREPLIED] src=… dst=… sport=… dport=…
 *    [UPDATE] tcp      6 60 SYN_RECV src=… …
 *    [UPDATE] tcp      6 432000 ESTABLISHED src=… … [ASSURED]
 *
 * Events come from the walk's conntrack steps in the target's namespace: an entry confirmed is
 * [NEW]; a later packet that changes its TCP state, or the first reply, is [UPDATE]. Timeouts
 * are nf_conntrack's defaults for the state. Entries expire later than a capture lasts, so
 * [DESTROY] is not printed.
 */
import { nsForTarget } from '../net/lookup';
import { captured, startCapture, stopCapture } from '../stack/capture';
import { iptablesCommands } from './iptables';
import { fail, type StreamCommand } from './types';

const VERSION = 'conntrack v1.4.7 (conntrack-tools)';
const TCP_TIMEOUT: Record<string, number> = { SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10 };
const PROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };

interface Parsed { proto: string; os: string; osp: string; od: string; odp: string; rs: string; rsp: string; rd: string; rdp: string; state: string }

/** Reads the walk's entry text: "tcp A:p → B:q | reply C:r → D:s [STATE]". */
function parseEntry(text: string): Parsed | null {
  const m = /^(\w+) ([\d.]+):(\d+) → ([\d.]+):(\d+) \| reply ([\d.]+):(\d+) → ([\d.]+):(\d+)(?: (\w+))?$/.exec(text);
  if (!m) return null;
  return { proto: m[1]!, os: m[2]!, osp: m[3]!, od: m[4]!, odp: m[5]!, rs: m[6]!, rsp: m[7]!, rd: m[8]!, rdp: m[9]!, state: m[10] ?? '' };
}

function line(tag: string, e: Parsed, replied: boolean, assured: boolean): string {
  const num = PROTO[e.proto] ?? 0;
  const timeout = e.proto === 'tcp' ? TCP_TIMEOUT[e.state] ?? 120 : e.proto === 'udp' ? (assured ? 120 : 30) : 30;
  const tuple = (s: string, sp: string, d: string, dp: string, reply: boolean): string =>
    e.proto === 'icmp' ? `src=${s} dst=${d} type=${reply ? 0 : 8} code=0 id=${sp}` : `src=${s} dst=${d} sport=${sp} dport=${dp}`;
  const parts = [`${tag.padStart(9)} ${e.proto.padEnd(8)} ${num} ${timeout}`];
  if (e.state) parts.push(e.state);
  parts.push(tuple(e.os, e.osp, e.od, e.odp, false));
  if (!replied) parts.push('[UNREPLIED]');
  parts.push(tuple(e.rs, e.rsp, e.rd, e.rdp, true));
  if (assured) parts.push('[ASSURED]');
  return `${parts.join(' ')}\n`;
}

export const conntrackStream: StreamCommand = (ctx, argv) => {
  const plain = iptablesCommands['conntrack']!;
  if (!argv.includes('-E') && !argv.includes('--event')) return { start: plain(ctx, argv) };
  let proto: string | undefined;
  let src: string | undefined;
  let dst: string | undefined;
  let dport: string | undefined;
  let kinds: string[] | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-E' || a === '--event') { if (argv[i + 1] === 'conntrack' || argv[i + 1] === 'expect') i++; continue; }
    const v = argv[i + 1];
    if (a === '-p' || a === '--proto') { proto = v; i++; }
    else if (a === '-s' || a === '--src' || a === '--orig-src') { src = v; i++; }
    else if (a === '-d' || a === '--dst' || a === '--orig-dst') { dst = v; i++; }
    else if (a === '--dport' || a === '--orig-port-dst') { dport = v; i++; }
    else if (a === '-e' || a === '--event-mask') { kinds = (v ?? '').split(',').map((k) => k.toUpperCase()); i++; }
    else if (a === '-o' || a === '--output' || a === '-f' || a === '--family') i++;
    else return { start: fail(`${VERSION}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2) };
  }
  if (proto !== undefined && PROTO[proto] === undefined) return { start: fail(`${VERSION}: proto \`${proto}' not found\n`, 2) };
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return { start: fail('conntrack: no network namespace here: run it on a node (knp exec FILE node/NAME -- conntrack -E)\n', 1) };
  const cap = startCapture(ctx.sim);
  const last = new Map<number, { state: string; replied: boolean; assured: boolean }>();
  let done = 0;
  let shown = 0;
  const take = (): string => {
    const seen = captured(cap);
    let out = '';
    for (; done < seen.length; done++) {
      const e = seen[done]!.event;
      if (e.type !== 'conntrack' || e.where.ns !== ns.id) continue;
      const d = e.detail;
      if (d.action !== 'confirm' && d.action !== 'match') continue;
      const p = parseEntry(d.entry);
      if (!p) continue;
      if ((proto && p.proto !== proto) || (src && p.os !== src) || (dst && p.od !== dst) || (dport && p.odp !== dport)) continue;
      const prev = last.get(d.id);
      let tag: string;
      let now: { state: string; replied: boolean; assured: boolean };
      if (d.action === 'confirm') {
        if (prev) continue;
        now = { state: p.state, replied: false, assured: false };
        tag = '[NEW]';
      } else {
        if (!prev) continue;
        const replied = prev.replied || d.dir === 'reply';
        const assured = prev.assured || (p.proto === 'tcp' ? ['ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE'].includes(p.state) : replied && prev.replied && d.dir === 'original');
        now = { state: p.state, replied, assured };
        if (now.state === prev.state && now.replied === prev.replied && now.assured === prev.assured) continue;
        tag = '[UPDATE]';
      }
      last.set(d.id, now);
      if (kinds && !kinds.includes(tag.slice(1, -1)) && !kinds.includes('ALL')) continue;
      shown++;
      out += line(tag, p, now.replied, now.assured);
    }
    return out;
  };
  let stopped = false;
  return {
    start: { stdout: '', stderr: '', exitCode: 0 },
    stream: {
      poll: () => ({ stdout: take(), stderr: '', finished: false }),
      stop: () => {
        if (stopped) return { stdout: '', stderr: '', exitCode: 0 };
        stopped = true;
        const out = take();
        stopCapture(ctx.sim, cap);
        return { stdout: out, stderr: `${VERSION}: ${shown} flow events have been shown.\n`, exitCode: 0 };
      },
    },
  };
};

export const conntrackStreamCommands: Record<string, StreamCommand> = { conntrack: conntrackStream };
