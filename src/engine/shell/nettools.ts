/**
 * Traffic commands on the simulated network, printing what the real tools print: iputils
 * `ping`, `curl`, OpenBSD `nc`, `traceroute`. Each runs one packet walk (src/engine/stack) from
 * the target's network namespace; the walk changes neighbour caches and FDBs like real traffic.
 */
import { isIp } from '../addr/ip';
import type { Payload } from '../net/packet';
import type { Probe } from '../stack/exchange';
import { canonicalIPv6 } from '../addr/ip6';
import { ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG, ICMPV6_TIME_EXCEED, userAgentOf } from '../stack/packets';
import { lookupHost, type HostLookup } from '../stack/target';
import { walkDetailed, type WalkRequest, type WalkResult } from '../stack/walk';
import type { Trace } from '../trace/types';
import { fail, ok, withTraces, type Command, type CommandResult, type ShellContext, type Target } from './types';

/** The walk's `from` for a shell target: pod/NS/NAME, node/NAME[#netns], host/NAME[#netns]. */
export function fromOf(t: Target): string | null {
  switch (t.kind) {
    case 'workstation': return null;
    case 'pod': return `pod/${t.namespace}/${t.name}`;
    case 'node': return `node/${t.name}${t.netns ? `#${t.netns}` : ''}`;
    case 'host': return `host/${t.name}${t.netns ? `#${t.netns}` : ''}`;
  }
}

/** Addresses pass through; names go through /etc/hosts and DNS (walked queries): AAAA records when `family` is 6. */
function resolveHost(ctx: ShellContext, from: string, host: string, family: 4 | 6 = 4): HostLookup {
  if (isIp(host)) return { ok: true, ip: host, events: [] };
  const v6 = canonicalIPv6(host);
  return v6 ? { ok: true, ip: v6, events: [] } : lookupHost(ctx.sim, from, host, family);
}

/** getaddrinfo's message for a failed lookup: a name that exists without a record of the family asked is EAI_NODATA. */
function lookupError(f: Extract<HostLookup, { ok: false }>): string {
  if (f.why !== 'nxdomain') return 'Temporary failure in name resolution';
  return /\(NOERROR\)/.test(f.reason) ? 'No address associated with hostname' : 'Name or service not known';
}

const noWorkstation = (tool: string): CommandResult =>
  fail(`${tool}: this terminal is your workstation, outside the simulated network: run it inside, e.g. kubectl exec POD -- ${tool} ..., or knp exec FILE node/NAME|pod/NS/NAME|host/NAME -- ${tool} ...\n`, 2);

function ms(us: number): string {
  return (us / 1000).toFixed(3);
}

/** Options with a value: -c 3 or -c3. Returns the value and the remaining words. */
function takeOpts(argv: readonly string[], valued: string, flags: string): { opts: Map<string, string>; rest: string[]; bad?: string } {
  const opts = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.length > 1 && a.startsWith('-') && !a.startsWith('--')) {
      let j = 1;
      while (j < a.length) {
        const c = a[j]!;
        if (valued.includes(c)) {
          const v = a.length > j + 1 ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return { opts, rest, bad: `option requires an argument -- '${c}'` };
          opts.set(c, v);
          break;
        }
        if (!flags.includes(c)) return { opts, rest, bad: `invalid option -- '${c}'` };
        opts.set(c, '');
        j++;
      }
    } else rest.push(a);
  }
  return { opts, rest };
}

type Walk = (req: WalkRequest) => WalkResult;

/**
 * A traffic command that hands back the walks it made (CommandResult.traces), so the browser
 * terminal can replay them on the canvas like a Send.
 */
function recorded(run: (ctx: ShellContext, argv: readonly string[], walk: Walk) => CommandResult): Command {
  return (ctx, argv) => {
    const traces: Trace[] = [];
    const walk: Walk = (req) => { const r = walkDetailed(ctx.sim, req); traces.push(r.trace); return r; };
    const result = run(ctx, argv, walk);
    return withTraces(result, traces);
  };
}

// ---------------------------------------------------------------- ping

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable', 1: 'Destination Host Unreachable', 2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable', 9: 'Destination Net Prohibited', 10: 'Destination Host Prohibited', 13: 'Packet filtered',
};

/** iputils' texts for ICMPv6 errors (print_icmp6 in ping6_common.c). */
const UNREACH6_TEXT: Record<number, string> = { 0: 'No route', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable' };

function probeErrorText6(p: Probe): string {
  if (p.icmp?.type === ICMPV6_TIME_EXCEED) return 'Time exceeded: Hop limit';
  if (p.icmp?.type === ICMPV6_PKT_TOOBIG) return `Packet too big: mtu=${p.icmp.mtu ?? 0}`;
  if (p.icmp?.type === ICMPV6_DEST_UNREACH) return `Destination unreachable: ${UNREACH6_TEXT[p.icmp.code] ?? `Unknown code ${p.icmp.code}`}`;
  return 'Destination unreachable: Address unreachable';
}

function probeErrorText(p: Probe): string {
  if (p.icmp?.type === 11) return 'Time to live exceeded';
  if (p.icmp?.type === 3 && p.icmp.code === 4) return `Frag needed and DF set (mtu = ${p.icmp.mtu ?? 0})`;
  if (p.icmp?.type === 3) return UNREACH_TEXT[p.icmp.code] ?? `Dest Unreachable, Bad Code: ${p.icmp.code}`;
  return 'Destination Host Unreachable';
}

export const ping: Command = recorded((ctx, argv, walk) => {
  const from = fromOf(ctx.target);
  if (!from) return noWorkstation('ping');
  const { opts, rest, bad } = takeOpts(argv.slice(1), 'cMstWiw', 'qnv46');
  if (bad) return fail(`ping: ${bad}\n`, 2);
  const dst = rest[0];
  if (!dst) return fail('ping: usage error: Destination address required\n', 1);
  // ping6 (and ping -6) asks for IPv6 only; -4 for IPv4 only; a literal decides by itself.
  const want6 = argv[0] === 'ping6' || opts.has('6');
  if (want6 && opts.has('4')) return fail('ping: only one -4 or -6 option may be specified\n', 2);
  const found = resolveHost(ctx, from, dst, want6 ? 6 : 4);
  if (!found.ok) return fail(`ping: ${dst}: ${lookupError(found)}\n`, 2);
  const addr = found.ip;
  const is6 = addr.includes(':');
  if ((want6 && !is6) || (opts.has('4') && is6)) return fail(`ping: ${dst}: Address family for hostname not supported\n`, 2);
  const count = opts.has('c') ? Number(opts.get('c')) : 4;
  if (!Number.isInteger(count) || count < 1) return fail(`ping: invalid argument: '${opts.get('c')}': out of range: 1 <= value <= 9223372036854775807\n`, 1);
  const size = opts.has('s') ? Number(opts.get('s')) : 56;
  if (!Number.isInteger(size) || size < 0 || size > 65507) return fail(`ping: invalid argument: '${opts.get('s')}': out of range: 0 <= value <= 2147483647\n`, 1);
  const ttl = opts.has('t') ? Number(opts.get('t')) : undefined;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 255)) return fail(`ping: invalid argument: '${opts.get('t')}': out of range: 1 <= value <= 255\n`, 1);
  const pmtu = opts.get('M');
  if (pmtu !== undefined && !['do', 'dont', 'want', 'probe'].includes(pmtu)) return fail(`ping: invalid -M argument: ${pmtu}\n`, 2);
  const interval = opts.has('i') ? Number(opts.get('i')) : 1;
  if (!Number.isFinite(interval) || interval < 0.002) return fail(`ping: bad timing interval: ${opts.get('i')}\n`, 2);
  const req: WalkRequest = { from, to: addr, protocol: 'icmp', count, size, df: pmtu === 'do' || pmtu === 'probe', intervalMs: interval * 1000, ...(ttl !== undefined ? { ttl } : {}) };
  const { trace, outcome } = walk(req);
  if (!outcome) return fail(`ping: ${trace.reason ?? 'error'}\n`, 2);
  const first = outcome.probes[0];
  if (first?.outcome === 'local-error' && first.errno === 'ENETUNREACH') return fail('ping: connect: Network is unreachable\n', 2);
  const lines = [is6 ? `PING ${dst}(${addr}) ${size} data bytes` : `PING ${dst} (${addr}) ${size}(${size + 28}) bytes of data.`];
  const err: string[] = [];
  const rtts: number[] = [];
  let errors = 0;
  for (const p of outcome.probes) {
    if (p.outcome === 'reply') {
      rtts.push(p.rttUs ?? 0);
      if (!opts.has('q')) lines.push(`${p.bytes ?? size + 8} bytes from ${p.from}: icmp_seq=${p.seq} ttl=${p.ttl} time=${ms(p.rttUs ?? 0)} ms`);
    } else if (p.outcome === 'icmp-error') {
      errors++;
      if (!opts.has('q')) lines.push(`From ${p.from} icmp_seq=${p.seq} ${is6 ? probeErrorText6(p) : probeErrorText(p)}`);
    } else if (p.outcome === 'local-error') {
      errors++;
      if (p.errno === 'EMSGSIZE') err.push(`ping: local error: message too long, mtu=${p.mtu ?? 0}`);
      else if (p.errno === 'EHOSTUNREACH') lines.push(`From ${p.from ?? dst} icmp_seq=${p.seq} ${is6 ? 'Destination unreachable: Address unreachable' : 'Destination Host Unreachable'}`);
      else err.push(`ping: sendmsg: ${p.errno === 'EPERM' ? 'Operation not permitted' : p.reason ?? p.errno}`);
    }
  }
  const sent = outcome.probes.length;
  const received = rtts.length;
  const loss = Math.round(((sent - received) / sent) * 100);
  const lastT = trace.events.length ? trace.events[trace.events.length - 1]!.t : 0;
  lines.push('', `--- ${dst} ping statistics ---`,
    `${sent} packets transmitted, ${received} received,${errors ? ` +${errors} errors,` : ''} ${loss}% packet loss, time ${Math.max(0, Math.floor(lastT / 1000))}ms`);
  if (received) {
    const min = Math.min(...rtts) / 1000;
    const max = Math.max(...rtts) / 1000;
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length / 1000;
    const mdev = Math.sqrt(Math.max(0, rtts.reduce((a, b) => a + (b / 1000) ** 2, 0) / rtts.length - avg * avg));
    lines.push(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms`);
  }
  return { stdout: `${lines.join('\n')}\n`, stderr: err.length ? `${err.join('\n')}\n` : '', exitCode: received ? 0 : errors && !received ? 1 : 1, changed: true };
});

// ---------------------------------------------------------------- curl

const SERVICES: Record<number, string> = { 7: 'echo', 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 6443: 'sun-sr-https', 8080: 'http-alt' };

function httpHead(p: Extract<Payload, { kind: 'http-response' }>): string[] {
  const hs = { 'Content-Type': 'text/plain', 'Content-Length': String(p.body.length), ...p.headers };
  return [`HTTP/1.1 ${p.status} ${p.status === 200 ? 'OK' : p.status === 502 ? 'Bad Gateway' : 'Error'}`, ...Object.entries(hs).map(([k, v]) => `${k}: ${v}`)];
}

export const curl: Command = recorded((ctx, argv, walk) => {
  const from = fromOf(ctx.target);
  if (!from) return noWorkstation('curl');
  let verbose = false; let silent = false; let showErr = false; let head = false; let out: string | undefined; let fmt: string | undefined; let maxTime: number | undefined;
  let method: string | undefined;
  const headers: Record<string, string> = {};
  const resolve: Record<string, string> = {};
  let url: string | undefined;
  const a = expandShort(argv.slice(1), 'owmXHAE');
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    const val = (): string | undefined => a[++i];
    if (w === '-v' || w === '--verbose') verbose = true;
    else if (w === '-s' || w === '--silent') silent = true;
    else if (w === '-S' || w === '--show-error') showErr = true;
    else if (w === '-I' || w === '--head') head = true;
    else if (w === '-k' || w === '--insecure' || w === '-L' || w === '--location') { /* no TLS, no redirects to follow */ }
    else if (w === '--cacert' || w === '--capath' || w === '--cert' || w === '-E' || w === '--key') val(); // TLS is not modelled: the request goes as plain HTTP

    else if (w === '-o' || w === '--output') out = val();
    else if (w === '-w' || w === '--write-out') fmt = val();
    else if (w === '-m' || w === '--max-time' || w === '--connect-timeout') maxTime = Number(val());
    else if (w === '-X' || w === '--request') method = val();
    else if (w === '-A' || w === '--user-agent') headers['User-Agent'] = val() ?? '';
    else if (w === '-H' || w === '--header') {
      const h = val() ?? '';
      const c = h.indexOf(':');
      if (c > 0) headers[h.slice(0, c).trim()] = h.slice(c + 1).trim();
    } else if (w === '--resolve') {
      const r = (val() ?? '').split(':');
      if (r.length >= 3) resolve[`${r[0]}:${r[1]}`] = r.slice(2).join(':');
    } else if (w.startsWith('-')) return fail(`curl: option ${w}: is unknown\ncurl: try 'curl --help' for more information\n`, 2);
    else url = w;
  }
  if (!url) return fail("curl: no URL specified!\ncurl: try 'curl --help' for more information\n", 2);
  const full = /^[a-z]+:\/\//.test(url) ? url : `http://${url}`;
  // An IPv6 literal is written in brackets (http://[fd00::2]:80/).
  const m = /^(https?):\/\/(?:\[([0-9a-fA-F:.]+)\]|([^/:?#[\]]+))(?::(\d+))?/.exec(full);
  if (!m || (m[2] !== undefined && !canonicalIPv6(m[2]))) return fail(`curl: (3) URL using bad/illegal format or missing URL\n`, 3);
  const host = m[2] !== undefined ? canonicalIPv6(m[2])! : m[3]!;
  const port = m[4] ? Number(m[4]) : m[1] === 'https' ? 443 : 80;
  const pinned = isIp(host) || host.includes(':') ? host : resolve[`${host}:${port}`];
  const found = pinned ? undefined : resolveHost(ctx, from, host);
  const ip = pinned ?? (found?.ok ? found.ip : undefined);
  const err = (code: number, msg: string): CommandResult => ({ stdout: fmt ? writeOut(fmt, { code: 0, ip: ip ?? '', port, localIp: '', localPort: 0, us: 0 }) : '', stderr: !silent || showErr ? `curl: (${code}) ${msg}\n` : '', exitCode: code, changed: true });
  if (!ip) return err(6, `Could not resolve host: ${host}`);
  const { trace, outcome } = walk({
    from, to: `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${full.replace(/^[a-z]+:\/\/[^/?#]+/, '') || '/'}`, protocol: 'tcp',
    http: { method: method ?? (head ? 'HEAD' : 'GET'), headers: { ...(host !== ip ? { Host: port === 80 ? host : `${host}:${port}` } : {}), ...headers } },
  });
  if (!outcome) return err(7, trace.reason ?? 'internal error');
  const lastT = trace.events.length ? trace.events[trace.events.length - 1]!.t : 0;
  const v: string[] = [];
  if (verbose) v.push(`*   Trying ${ip}:${port}...`);
  const local = outcome.local ?? { ip: '', port: 0 };
  if (outcome.verdict !== 'delivered' && !outcome.payload) {
    const stderr = verbose ? `${v.join('\n')}\n` : '';
    const timeout = outcome.verdict === 'timeout' || outcome.verdict === 'dropped';
    const r = timeout
      ? err(28, maxTime !== undefined ? `Connection timed out after ${Math.round(maxTime * 1000) + 1} milliseconds` : `Failed to connect to ${host} port ${port} after 130000 ms: Timeout was reached`)
      : err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    return { ...r, stderr: stderr + r.stderr };
  }
  const res = outcome.payload;
  if (verbose) {
    v.push(`* Connected to ${host} (${ip}) port ${port}`);
    v.push(`> ${method ?? (head ? 'HEAD' : 'GET')} ${full.replace(/^[a-z]+:\/\/[^/]+/, '') || '/'} HTTP/1.1`, `> Host: ${host}${port === 80 ? '' : `:${port}`}`, `> User-Agent: ${userAgentOf({ headers })}`, '> Accept: */*');
    for (const [k, val] of Object.entries(headers)) if (k.toLowerCase() !== 'user-agent') v.push(`> ${k}: ${val}`);
    v.push('> ');
    if (res?.kind === 'http-response') { for (const l of httpHead(res)) v.push(`< ${l}`); v.push('< '); }
    v.push(`* Connection #0 to host ${host} left intact`);
  }
  let stdout = '';
  if (res?.kind === 'http-response') {
    if (head) stdout = `${httpHead(res).join('\r\n')}\r\n\r\n`;
    else if (out === undefined) stdout = res.body;
  } else if (!res) {
    return { stdout: '', stderr: (verbose ? `${v.join('\n')}\n` : '') + (!silent || showErr ? 'curl: (52) Empty reply from server\n' : ''), exitCode: 52, changed: true };
  }
  if (fmt) stdout += writeOut(fmt, { code: res?.kind === 'http-response' ? res.status : 0, ip, port, localIp: local.ip, localPort: local.port, us: lastT });
  return { stdout, stderr: verbose ? `${v.join('\n')}\n` : '', exitCode: 0, changed: true };
});

/** curl-style bundled short options: "-sSv" is "-s -S -v"; "-so" takes the next word, "-ofile" the rest. */
function expandShort(args: readonly string[], valued: string): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (!/^-[A-Za-z]{2,}/.test(a)) { out.push(a); continue; }
    for (let i = 1; i < a.length; i++) {
      const c = a[i]!;
      out.push(`-${c}`);
      if (valued.includes(c)) {
        if (i + 1 < a.length) out.push(a.slice(i + 1));
        break;
      }
    }
  }
  return out;
}

function writeOut(fmt: string, f: { code: number; ip: string; port: number; localIp: string; localPort: number; us: number }): string {
  return fmt
    .replace(/\\n/g, '\n').replace(/\\t/g, '\t')
    .replace(/%\{(http_code|response_code)\}/g, String(f.code).padStart(3, '0'))
    .replace(/%\{remote_ip\}/g, f.ip).replace(/%\{remote_port\}/g, String(f.port))
    .replace(/%\{local_ip\}/g, f.localIp).replace(/%\{local_port\}/g, String(f.localPort))
    .replace(/%\{time_(total|connect|starttransfer)\}/g, (f.us / 1e6).toFixed(6));
}

// ---------------------------------------------------------------- nc

export const nc: Command = recorded((ctx, argv, walk) => {
  const from = fromOf(ctx.target);
  if (!from) return noWorkstation('nc');
  const { opts, rest, bad } = takeOpts(argv.slice(1), 'w', 'zvunl46');
  if (bad) return fail(`nc: ${bad}\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n`, 1);
  const [host, portText] = rest;
  if (!host || !portText) return fail('usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n', 1);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`nc: port number invalid: ${portText}\n`, 1);
  const found = resolveHost(ctx, from, host);
  if (!found.ok) return fail(`nc: getaddrinfo for host "${host}" port ${port}: ${found.why === 'nxdomain' ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`, 1);
  const udp = opts.has('u');
  const { trace, outcome } = walk({ from, to: `${found.ip}:${port}`, protocol: udp ? 'udp' : 'tcp', ...(udp ? { size: 1 } : {}) });
  const proto = udp ? 'udp' : 'tcp';
  const verbose = opts.has('v');
  const svc = SERVICES[port] ?? '*';
  if (!outcome) return fail(`nc: ${trace.reason ?? 'error'}\n`, 1);
  // UDP is connectionless: nc -zu reports success unless an ICMP error comes back.
  if (outcome.verdict === 'delivered' || (udp && (outcome.verdict === 'timeout' || outcome.verdict === 'dropped'))) {
    return { stdout: '', stderr: verbose ? `Connection to ${host} ${port} port [${proto}/${svc}] succeeded!\n` : '', exitCode: 0, changed: true };
  }
  const why = outcome.verdict === 'refused' ? 'failed: Connection refused'
    : outcome.verdict === 'timeout' || outcome.verdict === 'dropped' ? 'timed out: Operation now in progress'
    : /Network is unreachable/.test(outcome.reason ?? '') ? 'failed: Network is unreachable' : 'failed: No route to host';
  return { stdout: '', stderr: `nc: connect to ${host} port ${port} (${proto}) ${why}\n`, exitCode: 1, changed: true };
});

// ---------------------------------------------------------------- traceroute

/** traceroute's mark after an ICMP unreachable (none for port unreachable, the destination's answer): IPv4 codes, or ICMPv6 ones. */
function unreachMark(p: Probe, is6: boolean): { mark: string; final: boolean } {
  const t = p.icmp?.type;
  const c = p.icmp?.code ?? 0;
  if (is6) {
    if (t !== ICMPV6_DEST_UNREACH) return { mark: '', final: false };
    return { mark: c === 4 ? '' : c === 0 ? ' !N' : c === 1 ? ' !X' : c === 3 ? ' !H' : ` !<${c}>`, final: true };
  }
  if (t !== 3) return { mark: '', final: false };
  return { mark: c === 3 ? '' : c === 0 ? ' !N' : c === 1 ? ' !H' : c === 13 ? ' !X' : ` !<${c}>`, final: true };
}

/**
 * traceroute (Dmitry Butskoy's, as Debian ships it): UDP probes to ports 33434 and up with a
 * rising TTL / hop limit, or ICMP echo with -I. `-6` or the name traceroute6 asks for IPv6 (a
 * name resolves to its AAAA record); an IPv6 literal needs neither. IPv6 probes are 80 bytes.
 */
export const traceroute: Command = recorded((ctx, argv, walk) => {
  const from = fromOf(ctx.target);
  if (!from) return noWorkstation('traceroute');
  const { opts, rest, bad } = takeOpts(argv.slice(1), 'mqwp', 'nI46');
  if (bad) return fail(`traceroute: ${bad}\n`, 2);
  const dst = rest[0];
  if (!dst) return fail('Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n', 2);
  const want6 = argv[0] === 'traceroute6' || opts.has('6');
  const found = resolveHost(ctx, from, dst, want6 ? 6 : 4);
  if (!found.ok) return fail(`${dst}: ${lookupError(found)}\nCannot handle "host" cmdline arg \`${dst}' on position 1 (argc 1)\n`, 2);
  const addr = found.ip;
  const is6 = addr.includes(':');
  if ((want6 && !is6) || (opts.has('4') && is6)) return fail(`${dst}: Address family for hostname not supported\nCannot handle "host" cmdline arg \`${dst}' on position 1 (argc 1)\n`, 2);
  const maxTtl = opts.has('m') ? Number(opts.get('m')) : 30;
  const q = opts.has('q') ? Number(opts.get('q')) : 3;
  const lines = [`traceroute to ${dst} (${addr}), ${maxTtl} hops max, ${is6 ? 80 : 60} byte packets`];
  // The probe's payload: 32 bytes, so 60 on the wire under an IPv4 header and 80 under an IPv6 one.
  const size = 32;
  for (let ttl = 1; ttl <= maxTtl; ttl++) {
    // Default: UDP probes to ports 33434 and up; -I: ICMP echo requests (traceroute -I).
    const { outcome } = opts.has('I')
      ? walk({ from, to: addr, protocol: 'icmp', ttl, size })
      : walk({ from, to: is6 ? `[${addr}]:${33434 + ttl - 1}` : `${addr}:${33434 + ttl - 1}`, protocol: 'udp', ttl, size });
    const p = outcome?.probes[0];
    const n = String(ttl).padStart(2);
    if (!p || (p.outcome !== 'icmp-error' && p.outcome !== 'reply')) {
      if (p?.outcome === 'local-error') { lines.push(`connect: ${p.errno === 'ENETUNREACH' ? 'Network is unreachable' : p.reason ?? p.errno}`); return { stdout: '', stderr: `${lines.slice(1).join('\n')}\n`, exitCode: 1, changed: true }; }
      lines.push(`${n}  ${Array.from({ length: q }, () => '*').join(' ')}`);
      continue;
    }
    const base = (p.rttUs ?? 20) / 1000;
    const times = Array.from({ length: q }, (_, i) => `${(base * (i === 0 ? 1 : 0.8 - i * 0.05)).toFixed(3)} ms`).join('  ');
    const { mark, final } = unreachMark(p, is6);
    // -n prints the address alone; without it, the name (none here: the address again) and the address.
    lines.push(`${n}  ${opts.has('n') ? p.from : `${p.from} (${p.from})`}  ${times}${mark}`);
    if (p.outcome === 'reply' || final) break;
  }
  return ok(`${lines.join('\n')}\n`, true);
});

export const nettoolCommands: Record<string, Command> = { ping, ping6: ping, curl, nc, traceroute, traceroute6: traceroute };
export type { ShellContext };
