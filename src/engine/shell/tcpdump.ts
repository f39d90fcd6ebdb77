/**
 * `tcpdump`, printing in tcpdump 4.99's format the packets the walks put on an interface while
 * the capture runs (src/engine/stack/capture.ts). It is a streaming command: started with `&`
 * it keeps capturing while later commands send traffic, and `wait` (or -c N) ends it:
 *
 *   tcpdump -i any -n port 80 & curl -s my-nginx >/dev/null; wait
 *
 *   tcpdump [-i IFACE|any] [-n|-nn] [-e] [-v] [-c N] [-S] [-l] [-w FILE] [-r FILE] [EXPRESSION]
 *
 * EXPRESSION: host/src/dst [host] ADDR, [src|dst] net CIDR, [src|dst] port N, tcp, udp, icmp,
 * arp, ip, joined with and/&&, or/||, not/!, and parentheses. Lines are the real tool's for
 * Ethernet, ARP, IPv4, TCP (relative sequence numbers after the handshake), UDP, DNS, ICMP,
 * VXLAN (flannel's port 8472 prints as OTV, as tcpdump names that port) and IPIP. TCP options
 * and checksums are not modelled, so they are not printed. Without -n, well-known ports print
 * as their service names; addresses stay numeric (no reverse lookups).
 */
import { parseIPv4, parsePrefix } from '../addr/ip';
import { linkByName, nsForTarget } from '../net/lookup';
import { IPPROTO_ICMP, IPPROTO_IPIP, IPPROTO_TCP, IPPROTO_UDP, type Packet } from '../net/packet';
import type { Link, NetNs } from '../net/types';
import { captured, startCapture, stopCapture, type Capture, type Seen } from '../stack/capture';
import { payloadLength, payloadText } from '../stack/packets';
import type { Sim } from '../sim';
import { formatTimeOfDay, wallClockMs } from '../util/clock';
import type { DnsResponse, DnsRR } from '../agents/coredns/answer';
import { fail, type CommandResult, type StreamCommand } from './types';
import { fromOf } from './nettools';
import { lookupHost } from '../stack/target';

const VERSION_LINE = 'tcpdump version 4.99.4\nlibpcap version 1.10.4 (with TPACKET_V3)\n';
const USAGE = `${VERSION_LINE}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n`;

// ---------------------------------------------------------------- the filter language

type Pred = (p: Packet) => boolean;

const PORT_NAMES: Record<string, number> = { http: 80, https: 443, domain: 53, ssh: 22, 'http-alt': 8080, bgp: 179, otv: 8472 };
const SERVICE_OF: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 179: 'bgp', 443: 'https', 8080: 'http-alt', 8472: 'otv' };

function ports(p: Packet): { s?: number; d?: number } {
  const l4 = p.tcp ?? p.udp;
  return l4 ? { s: l4.sport, d: l4.dport } : {};
}

/** Parses a pcap-filter expression into a predicate; errors read as libpcap's. */
export function parseFilter(words: readonly string[]): { pred: Pred } | { error: string } {
  const toks = words.join(' ').replace(/([()!])/g, ' $1 ').split(/\s+/).filter(Boolean);
  let i = 0;
  const err = (m: string): never => { throw new FilterError(m); };
  const peek = (): string | undefined => toks[i];
  const next = (): string => { const t = toks[i++]; if (t === undefined) err('syntax error'); return t!; };
  const addr = (dir: string, test: (ip: string) => boolean): Pred => (p) => {
    const ips: string[] = [];
    if (p.ip) ips.push(...(dir === 'src' ? [p.ip.src] : dir === 'dst' ? [p.ip.dst] : [p.ip.src, p.ip.dst]));
    else if (p.arp) ips.push(...(dir === 'src' ? [p.arp.spa] : dir === 'dst' ? [p.arp.tpa] : [p.arp.spa, p.arp.tpa]));
    return ips.some(test);
  };
  const primary = (): Pred => {
    const t = next();
    if (t === '(') { const e = or(); if (next() !== ')') err('syntax error'); return e; }
    if (t === 'not' || t === '!') { const e = primary(); return (p) => !e(p); }
    let dir = '';
    let proto = '';
    let word = t;
    if (['tcp', 'udp', 'icmp', 'arp', 'ip'].includes(word)) {
      proto = word;
      const n = peek();
      if (!n || !['src', 'dst', 'host', 'port', 'net'].includes(n)) {
        if (proto === 'tcp') return (p) => !!p.tcp;
        if (proto === 'udp') return (p) => !!p.udp;
        if (proto === 'icmp') return (p) => !!p.icmp;
        if (proto === 'arp') return (p) => !!p.arp;
        return (p) => !!p.ip;
      }
      word = next();
    }
    if (word === 'src' || word === 'dst') {
      dir = word;
      word = ['host', 'net', 'port'].includes(peek() ?? '') ? next() : 'host';
    }
    const protoOk: Pred = proto === 'tcp' ? (p) => !!p.tcp : proto === 'udp' ? (p) => !!p.udp : proto === 'arp' ? (p) => !!p.arp : () => true;
    if (word === 'host') {
      const h = next();
      if (parseIPv4(h) === null) err(`unknown host '${h}'`);
      const a = addr(dir, (ip) => ip === h);
      return (p) => protoOk(p) && a(p);
    }
    if (word === 'net') {
      const n = next();
      const pre = parsePrefix(n, false);
      if (!pre) err(parsePrefix(n, true) ? `non-network bits set in "${n}"` : `invalid net "${n}"`);
      const a = addr(dir, (ip) => { const v = parseIPv4(ip); return v !== null && ((v ^ pre!.base) >>> (32 - pre!.len || 0)) === 0 || pre!.len === 0; });
      return (p) => protoOk(p) && a(p);
    }
    if (word === 'port') {
      const w = next();
      const n = /^\d+$/.test(w) ? Number(w) : PORT_NAMES[w];
      if (n === undefined || n > 65535) err(`unknown port '${w}'`);
      return (p) => {
        if (!protoOk(p)) return false;
        const { s, d } = ports(p);
        return dir === 'src' ? s === n : dir === 'dst' ? d === n : s === n || d === n;
      };
    }
    // A bare address is "host ADDR".
    if (parseIPv4(word) !== null) { const a = addr(dir, (ip) => ip === word); return (p) => protoOk(p) && a(p); }
    return err('syntax error');
  };
  const and = (): Pred => {
    let l = primary();
    while (peek() === 'and' || peek() === '&&' || (peek() !== undefined && !['or', '||', ')'].includes(peek()!))) {
      if (peek() === 'and' || peek() === '&&') i++;
      const a = l; const b = primary();
      l = (p) => a(p) && b(p);
    }
    return l;
  };
  const or = (): Pred => {
    let l = and();
    while (peek() === 'or' || peek() === '||') { i++; const a = l; const b = and(); l = (p) => a(p) || b(p); }
    return l;
  };
  if (toks.length === 0) return { pred: () => true };
  try {
    const pred = or();
    if (i < toks.length) err('syntax error');
    return { pred };
  } catch (e) {
    if (e instanceof FilterError) return { error: e.message };
    throw e;
  }
}

class FilterError extends Error {}

// ---------------------------------------------------------------- printing

interface Fmt { readonly numeric: boolean; readonly ether: boolean; readonly verbose: boolean; readonly absolute: boolean }

/** Per-connection TCP state for relative sequence numbers, as tcpdump keeps it. */
type TcpState = Map<string, number>;

function port(n: number, f: Fmt): string {
  return !f.numeric && SERVICE_OF[n] ? SERVICE_OF[n]! : String(n);
}

function tcpFlags(p: Packet): string {
  const f = p.tcp!.flags;
  return `${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}${f.psh ? 'P' : ''}${f.rst ? 'R' : ''}${f.ack ? '.' : ''}` || 'none';
}

function tcpLine(p: Packet, f: Fmt, st: TcpState): string {
  const t = p.tcp!;
  const ip = p.ip!;
  const me = `${ip.src}.${t.sport}>${ip.dst}.${t.dport}`;
  const peer = `${ip.dst}.${t.dport}>${ip.src}.${t.sport}`;
  const len = payloadLength(p.payload);
  let seq = t.seq >>> 0;
  let ack = t.ack >>> 0;
  if (t.flags.syn) st.set(me, seq);
  const mine = st.get(me);
  const theirs = st.get(peer);
  const relative = !f.absolute && !t.flags.syn && mine !== undefined && theirs !== undefined;
  if (relative) { seq = (seq - mine!) >>> 0; ack = (ack - theirs!) >>> 0; }
  const parts = [`Flags [${tcpFlags(p)}]`];
  if (len > 0 || t.flags.syn || t.flags.fin || t.flags.rst) parts.push(len > 0 ? `seq ${seq}:${(seq + len) >>> 0}` : `seq ${seq}`);
  if (t.flags.ack) parts.push(`ack ${ack}`);
  parts.push(`win ${t.window}`);
  parts.push(`length ${len}`);
  let s = parts.join(', ');
  const http = [80, 8080, 3128].some((x) => x === t.sport || x === t.dport);
  if (len > 0 && http && p.payload) {
    const text = payloadText(p.payload);
    if (text) s += `: HTTP: ${text.split(/\r?\n/)[0]}`;
  }
  return s;
}

const dotted = (n: string): string => (n.endsWith('.') ? n : `${n}.`);

function dnsRR(rr: DnsRR): string {
  const data = ['CNAME', 'PTR', 'NS'].includes(rr.type) ? dotted(rr.data) : rr.data;
  return `${rr.type} ${data}`;
}

function dnsLine(p: Packet, len: number): string | null {
  const m = p.payload?.kind === 'dns' ? p.payload.message as { id?: number; question?: { name: string; type: string }; response?: DnsResponse } : undefined;
  if (!m?.question) return null;
  const id = m.id ?? 0;
  if (!m.response) return `${id}+ ${m.question.type}? ${dotted(m.question.name)} (${len})`;
  const r = m.response;
  const flags = `${r.authoritative ? '*' : ''}${r.recursionAvailable || r.forwardTo ? '' : '-'}`;
  const rcode = r.rcode === 'NOERROR' ? '' : ` ${r.rcode === 'NXDOMAIN' ? 'NXDomain' : r.rcode === 'SERVFAIL' ? 'ServFail' : 'Refused'}`;
  const answers = r.answers.length ? ` ${r.answers.map(dnsRR).join(', ')}` : '';
  return `${id}${flags}${rcode} ${r.answers.length}/${r.authority.length}/${r.additional?.length ?? 0}${answers} (${len})`;
}

const UNREACH: Record<number, (p: Packet) => string> = {
  0: (o) => `net ${o.ip?.dst} unreachable`,
  1: (o) => `host ${o.ip?.dst} unreachable`,
  2: (o) => `${o.ip?.dst} protocol ${o.ip?.protocol} unreachable`,
  3: (o) => `${o.ip?.dst} ${o.tcp ? 'tcp' : 'udp'} port ${ports(o).d ?? 0} unreachable`,
  9: (o) => `net ${o.ip?.dst} unreachable - admin prohibited`,
  10: (o) => `host ${o.ip?.dst} unreachable - admin prohibited`,
  13: (o) => `host ${o.ip?.dst} unreachable - admin prohibited filter`,
};

function icmpLine(p: Packet): string {
  const c = p.icmp!;
  const len = p.ip!.length - 20;
  if (c.type === 8 || c.type === 0) return `ICMP echo ${c.type === 8 ? 'request' : 'reply'}, id ${c.id ?? 0}, seq ${c.seq ?? 0}, length ${len}`;
  if (c.type === 11) return `ICMP time exceeded in-transit, length ${len}`;
  if (c.type === 3) {
    const o = c.original ?? {};
    if (c.code === 4) return `ICMP ${o.ip?.dst} unreachable - need to frag (mtu ${c.mtu ?? 0}), length ${len}`;
    const f = UNREACH[c.code];
    return `ICMP ${f ? f(o) : `${o.ip?.dst} unreachable - #${c.code}`}, length ${len}`;
  }
  return `ICMP type-#${c.type}, length ${len}`;
}

/** The part after "IP " for an IPv4 packet; `inner` lines follow tunnels. */
function ipBody(p: Packet, f: Fmt, st: TcpState): string {
  const ip = p.ip!;
  if (ip.protocol === IPPROTO_TCP && p.tcp) return `${ip.src}.${port(p.tcp.sport, f)} > ${ip.dst}.${port(p.tcp.dport, f)}: ${tcpLine(p, f, st)}`;
  if (ip.protocol === IPPROTO_UDP && p.udp) {
    const u = p.udp;
    const head = `${ip.src}.${port(u.sport, f)} > ${ip.dst}.${port(u.dport, f)}: `;
    const len = ip.length - 28;
    if (p.vxlan && p.inner) {
      const otv = u.dport === 8472 || u.sport === 8472;
      const tag = otv ? `OTV, flags [I] (0x08), overlay 0, instance ${p.vxlan.vni}` : `VXLAN, flags [I] (0x08), vni ${p.vxlan.vni}`;
      return `${head}${tag}\n${frame(p.inner, f, st, true)}`;
    }
    if ((u.sport === 53 || u.dport === 53) && p.payload?.kind === 'dns') {
      const d = dnsLine(p, len);
      if (d) return head + d;
    }
    return `${head}UDP, length ${len}`;
  }
  if (ip.protocol === IPPROTO_ICMP && p.icmp) return `${ip.src} > ${ip.dst}: ${icmpLine(p)}`;
  if (ip.protocol === IPPROTO_IPIP && p.inner) return `${ip.src} > ${ip.dst}: ${ipLine(p.inner, f, st)}`;
  if (p.esp) return `${ip.src} > ${ip.dst}: ESP(spi=0x${p.esp.spi.toString(16).padStart(8, '0')},seq=0x${p.esp.seq.toString(16)}), length ${ip.length - 20}`;
  return `${ip.src} > ${ip.dst}: ip-proto-${ip.protocol} ${ip.length - 20}`;
}

function ipLine(p: Packet, f: Fmt, st: TcpState): string {
  const ip = p.ip!;
  if (!f.verbose) return `IP ${ipBody(p, f, st)}`;
  const proto = ip.protocol === IPPROTO_TCP ? 'TCP (6)' : ip.protocol === IPPROTO_UDP ? 'UDP (17)' : ip.protocol === IPPROTO_ICMP ? 'ICMP (1)' : ip.protocol === IPPROTO_IPIP ? 'IPIP (4)' : `unknown (${ip.protocol})`;
  return `IP (tos 0x${ip.tos.toString(16)}, ttl ${ip.ttl}, id ${ip.id}, offset 0, flags [${ip.df ? 'DF' : 'none'}], proto ${proto}, length ${ip.length})\n    ${ipBody(p, f, st)}`;
}

function arpBody(p: Packet): string {
  const a = p.arp!;
  return a.op === 1 ? `Request who-has ${a.tpa} tell ${a.spa}, length 28` : `Reply ${a.spa} is-at ${a.sha}, length 28`;
}

function frameLen(p: Packet): number {
  return (p.ip ? p.ip.length : p.arp ? 28 : 0);
}

/** One frame as an Ethernet capture prints it (with -e: the link-level header first). */
function frame(p: Packet, f: Fmt, st: TcpState, forceNoEther = false): string {
  if (f.ether && p.eth && !forceNoEther) {
    const type = p.arp ? 'ARP (0x0806)' : 'IPv4 (0x0800)';
    const body = p.arp ? arpBody(p) : f.verbose ? ipLine(p, f, st).replace(/^IP /, '') : ipBody(p, f, st);
    return `${p.eth.src} > ${p.eth.dst}, ethertype ${type}, length ${frameLen(p) + 14}: ${body}`;
  }
  if (p.arp) return `ARP, ${arpBody(p)}`;
  if (p.ip) return ipLine(p, f, st);
  return '[|ether]';
}

// ---------------------------------------------------------------- capture files (-w / -r)

interface SavedCapture { readonly linkType: string; readonly packets: readonly { us: number; packet: Packet; dev: string; out: boolean }[] }
const files = new WeakMap<Sim, Map<string, SavedCapture>>();

/** Capture files written with tcpdump -w in this simulation (for ls and tcpdump -r). */
export function captureFiles(sim: Sim): ReadonlyMap<string, SavedCapture> {
  return files.get(sim) ?? new Map();
}

// ---------------------------------------------------------------- the command

function linkType(l: Link | undefined): string {
  if (!l) return 'LINUX_SLL2 (Linux cooked v2)';
  if (l.kind === 'loopback') return 'EN10MB (Ethernet)';
  if (l.kind === 'tun' || l.kind === 'ipip') return 'RAW (Raw IP)';
  return 'EN10MB (Ethernet)';
}

function defaultIface(ns: NetNs): Link | undefined {
  return [...ns.links].sort((a, b) => a.ifindex - b.ifindex).find((l) => l.kind !== 'loopback' && l.up) ?? ns.links.find((l) => l.kind === 'loopback');
}

export const tcpdump: StreamCommand = (ctx, argv) => {
  const bad = (stderr: string, code = 1): { start: CommandResult } => ({ start: fail(stderr, code) });
  let iface: string | undefined;
  let count: number | undefined;
  let write: string | undefined;
  let read: string | undefined;
  const fmt = { numeric: false, ether: false, verbose: false, absolute: false };
  const expr: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--version') return { start: { stdout: VERSION_LINE, stderr: '', exitCode: 0 } };
    if (a === '-h' || a === '--help') return { start: { stdout: '', stderr: USAGE, exitCode: 0 } };
    if (a.startsWith('--')) { if (['--immediate-mode', '--no-promiscuous-mode', '--micro', '--print', '--number'].includes(a)) continue; return bad(`tcpdump: unrecognized option '${a}'\n${USAGE}`); }
    if (!a.startsWith('-') || a === '-') { expr.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if ('icwrsCGWQByZzEFjMTV'.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return bad(`tcpdump: option requires an argument -- '${c}'\n${USAGE}`);
        if (c === 'i') iface = v;
        else if (c === 'c') { count = Number(v); if (!Number.isInteger(count) || count <= 0) return bad(`tcpdump: invalid packet count ${v}\n`); }
        else if (c === 'w') write = v;
        else if (c === 'r') read = v;
        break;
      }
      if (c === 'n') fmt.numeric = true;
      else if (c === 'e') fmt.ether = true;
      else if (c === 'v') fmt.verbose = true;
      else if (c === 'S') fmt.absolute = true;
      else if (!'lpqtNUAX#K'.includes(c)) return bad(`tcpdump: invalid option -- '${c}'\n${USAGE}`);
    }
  }
  // Names after host/src/dst resolve as tcpdump's getaddrinfo would (/etc/hosts, then DNS).
  const from = fromOf(ctx.target);
  for (let k = 1; k < expr.length; k++) {
    const w = expr[k]!;
    if (['host', 'src', 'dst'].includes(expr[k - 1]!) && !['host', 'net', 'port'].includes(w) && parseIPv4(w) === null && /^[A-Za-z]/.test(w) && from) {
      const r = lookupHost(ctx.sim, from, w);
      if (!r.ok) return bad(`tcpdump: unknown host '${w}'\n`);
      expr[k] = r.ip;
    }
  }
  const filter = parseFilter(expr);
  if ('error' in filter) return bad(`tcpdump: ${filter.error}\n`);
  const stamp = (base: number, us: number): string => formatTimeOfDay(base + us);

  if (read !== undefined) {
    const saved = files.get(ctx.sim)?.get(read);
    if (!saved) return bad(`tcpdump: ${read}: No such file or directory\n`);
    const st: TcpState = new Map();
    const base = wallClockMs(ctx.sim) * 1000;
    let out = '';
    let n = 0;
    for (const s of saved.packets) {
      if (!filter.pred(s.packet)) continue;
      if (count !== undefined && n >= count) break;
      n++;
      out += `${stamp(base, s.us)} ${frame(s.packet, fmt, st)}\n`;
    }
    return { start: { stdout: out, stderr: `reading from file ${read}, link-type ${saved.linkType}, snapshot length 262144\n`, exitCode: 0 } };
  }

  if (ctx.target.kind === 'workstation') return bad('tcpdump: this terminal is your workstation, outside the simulated network: run it on a node (knp exec FILE node/NAME -- tcpdump ...) or in a Pod\n');
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return bad('tcpdump: no network namespace here\n');
  const any = iface === 'any';
  const link = any ? undefined : iface !== undefined ? linkByName(ns, iface) : defaultIface(ns);
  if (!any && !link) return bad(`tcpdump: ${iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
  if (link && !link.up) return bad(`tcpdump: ${link.name}: That device is not up\n`);
  const name = any ? 'any' : link!.name;
  const type = linkType(link);
  const head = `${fmt.verbose || write !== undefined ? '' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n'}${write !== undefined ? 'tcpdump: ' : ''}listening on ${name}, link-type ${type}, snapshot length 262144 bytes\n`;
  const cap: Capture = startCapture(ctx.sim);
  const base = wallClockMs(ctx.sim) * 1000;
  const st: TcpState = new Map();
  const kept: { us: number; packet: Packet; dev: string; out: boolean }[] = [];
  let done = 0;
  let matched = 0;
  let finished = false;
  const ifindex = (dev: string): number => linkByName(ns, dev)?.ifindex ?? 0;
  const take = (): string => {
    if (finished) return '';
    const seen: Seen[] = captured(cap);
    let out = '';
    for (; done < seen.length; done++) {
      const { us, event: e } = seen[done]!;
      if ((e.type !== 'tx' && e.type !== 'rx') || !e.packet || e.where.ns !== ns.id) continue;
      if (!any && e.where.dev !== name) continue;
      // libpcap drops the outgoing copy on loopback: each packet there is seen once, as it comes in.
      if (e.type === 'tx' && linkByName(ns, e.where.dev ?? '')?.kind === 'loopback') continue;
      if (!filter.pred(e.packet)) continue;
      matched++;
      const dev = e.where.dev ?? '';
      kept.push({ us, packet: e.packet, dev, out: e.type === 'tx' });
      if (write === undefined) {
        let line = frame(e.packet, { ...fmt, ether: fmt.ether && !any }, st);
        if (any) {
          const dir = e.type === 'tx' ? 'Out' : 'In ';
          const l2 = fmt.ether && e.packet.eth ? `ifindex ${ifindex(dev)} ${e.packet.eth.src} ethertype ${e.packet.arp ? 'ARP (0x0806)' : 'IPv4 (0x0800)'}, length ${frameLen(e.packet) + 20}: ` : '';
          if (l2) line = line.replace(/^(IP |ARP, )/, '');
          line = `${dev.padEnd(5)} ${dir} ${l2}${line}`;
        }
        out += `${stamp(base, us)} ${line}\n`;
      }
      if (count !== undefined && matched >= count) { finished = true; done++; break; }
    }
    return out;
  };
  const footer = (): string => `${matched} packet${matched === 1 ? '' : 's'} captured\n${matched} packet${matched === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`;
  let stopped = false;
  return {
    start: { stdout: '', stderr: head, exitCode: 0 },
    stream: {
      poll: () => ({ stdout: take(), stderr: '', finished }),
      stop: () => {
        if (stopped) return { stdout: '', stderr: '', exitCode: 0 };
        stopped = true;
        const out = take();
        stopCapture(ctx.sim, cap);
        if (write !== undefined) {
          let m = files.get(ctx.sim);
          if (!m) { m = new Map(); files.set(ctx.sim, m); }
          m.set(write, { linkType: type, packets: kept });
        }
        return { stdout: out, stderr: footer(), exitCode: 0 };
      },
    },
  };
};

export const tcpdumpCommands: Record<string, StreamCommand> = { tcpdump };
