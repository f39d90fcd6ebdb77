/**
 * busybox `wget` (what the seeds' Pods have: -q, -O FILE|-, -T SEC, --spider, -S), glibc's
 * `getent hosts NAME` (/etc/hosts first, then DNS through resolv.conf's search list) and
 * iproute2's `ss` (-t -u -l -a -n -p, -s) over a namespace's sockets. wget walks its request
 * like curl does; names resolve through /etc/hosts, then DNS (stack/target.ts lookupHost).
 */
import { isIp } from '../addr/ip';
import { resolveName } from '../clients/dns/resolve';
import { nsForTarget } from '../net/lookup';
import type { Payload } from '../net/packet';
import { etcHostsFor, hostsLookup } from '../stack/hosts';
import { lookupHost } from '../stack/target';
import { walkDetailed } from '../stack/walk';
import { fromOf } from './nettools';
import { processOf } from './netstat';
import { fail, ok, type Command, type CommandResult } from './types';

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

const WGET_USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n';

function progress(name: string, size: number): string {
  return `${name.padEnd(20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`;
}

export const wget: Command = (ctx, argv) => {
  const from = fromOf(ctx.target);
  if (!from) return fail('wget: this terminal is your workstation, outside the simulated network: run it in a Pod (kubectl exec POD -- wget -qO- URL)\n', 1);
  let quiet = false; let spider = false; let headers = false; let out: string | undefined; let timeout: number | undefined;
  const extra: Record<string, string> = {};
  let url: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--spider') spider = true;
    else if (a === '--quiet') quiet = true;
    else if (a === '--server-response') headers = true;
    else if (a.startsWith('--output-document=')) out = a.slice(18);
    else if (a === '--output-document') out = argv[++i];
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
    else if (a === '--timeout') timeout = Number(argv[++i]);
    else if (a === '--header') { const h = argv[++i] ?? ''; const c = h.indexOf(':'); if (c > 0) extra[h.slice(0, c).trim()] = h.slice(c + 1).trim(); }
    else if (a.startsWith('--')) return fail(`wget: unrecognized option '${a}'\n${WGET_USAGE}`, 1);
    else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'q') quiet = true;
        else if (c === 'S') headers = true;
        else if (c === 'c' || c === 'v') continue;
        else if (c === 'O' || c === 'T' || c === 'U' || c === 'P' || c === 'o' || c === 'Y') {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return fail(`wget: option requires an argument -- '${c}'\n${WGET_USAGE}`, 1);
          if (c === 'O') out = v;
          if (c === 'T') timeout = Number(v);
          break;
        } else return fail(`wget: invalid option -- '${c}'\n${WGET_USAGE}`, 1);
      }
    } else url = a;
  }
  if (!url) return fail(WGET_USAGE, 1);
  if (timeout !== undefined && !Number.isFinite(timeout)) return fail(`wget: invalid number '${timeout}'\n`, 1);
  const full = /^[a-z]+:\/\//i.test(url) ? url : `http://${url}`;
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^#]*)/i.exec(full);
  if (!m) return fail(`wget: not an http or ftp url: ${url}\n`, 1);
  if (m[1]!.toLowerCase() === 'https') return fail('wget: note: TLS certificate validation not implemented\nwget: error getting response: Connection reset by peer\n', 1);
  const host = m[2]!;
  const port = m[3] ? Number(m[3]) : 80;
  const path = m[4] || '/';
  const found = isIp(host) ? { ok: true as const, ip: host } : lookupHost(ctx.sim, from, host);
  if (!found.ok) return fail(`wget: bad address '${host}'\n`, 1);
  const ip = found.ip;
  let err = quiet ? '' : `Connecting to ${host}${port === 80 && !m[3] ? '' : `:${port}`} (${ip}:${port})\n`;
  const { trace, outcome } = walkDetailed(ctx.sim, {
    from, to: `http://${ip}:${port}${path}`, protocol: 'tcp',
    http: { method: spider ? 'HEAD' : 'GET', headers: { ...(host !== ip ? { Host: port === 80 ? host : `${host}:${port}` } : {}), 'User-Agent': 'Wget', ...extra } },
  });
  const res: Payload | undefined = outcome?.payload;
  const done = (r: CommandResult): CommandResult => ({ ...r, changed: true });
  if (!outcome || (outcome.verdict !== 'delivered' && !res)) {
    const v = outcome?.verdict ?? trace.verdict;
    if (v === 'timeout' || v === 'dropped') return done({ stdout: '', stderr: `${err}wget: download timed out\n`, exitCode: 1 });
    const why = v === 'refused' ? 'Connection refused' : /Network is unreachable/.test(outcome?.reason ?? '') ? 'Network is unreachable' : 'No route to host';
    return done({ stdout: '', stderr: `${err}wget: can't connect to remote host (${ip}): ${why}\n`, exitCode: 1 });
  }
  if (res?.kind !== 'http-response') return done({ stdout: '', stderr: `${err}wget: error getting response\n`, exitCode: 1 });
  const status = `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}`.trimEnd();
  if (headers) {
    const hs = { 'Content-Type': 'text/plain', 'Content-Length': String(res.body.length), ...res.headers };
    err += [`  ${status}`, ...Object.entries(hs).map(([k, v]) => `  ${k}: ${v}`)].join('\n') + '\n';
  }
  if (res.status >= 400) return done({ stdout: '', stderr: `${err}wget: server returned error: ${status}\n`, exitCode: 1 });
  if (spider) return done({ stdout: '', stderr: quiet ? err : `${err}remote file exists\n`, exitCode: 0 });
  const size = res.body.length;
  if (out === '-') {
    return done({ stdout: res.body, stderr: quiet ? err : `${err}writing to stdout\n${progress('-', size)}written to stdout\n`, exitCode: 0 });
  }
  const file = out ?? (path.split('?')[0]!.split('/').pop() || 'index.html');
  // Files are not kept: the playground has no filesystem to write into.
  return done({ stdout: '', stderr: quiet ? err : `${err}saving to '${file}'\n${progress(file, size)}'${file}' saved\n`, exitCode: 0 });
};

// ---------------------------------------------------------------- getent

export const getent: Command = (ctx, argv) => {
  const db = argv[1];
  if (db === undefined) return fail("getent: wrong number of arguments\nTry 'getent --help' or 'getent --usage' for more information.\n", 1);
  if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') return fail(`Unknown database: ${db}\nTry 'getent --help' or 'getent --usage' for more information.\n`, 1);
  const from = fromOf(ctx.target);
  if (!from) return fail('getent: this terminal is your workstation: run it in a Pod or on a node\n', 1);
  const names = argv.slice(2);
  const hosts = etcHostsFor(ctx.sim, from) ?? '';
  let out = '';
  let code = 0;
  for (const name of names) {
    let ip: string | null = null;
    let canon = name;
    let aliases: string[] = [];
    if (isIp(name)) {
      // Reverse lookups: the hosts file's line for the address (PTR over DNS is not asked here).
      const line = hosts.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).find((f) => f[0] === name);
      if (line && line[1]) { ip = name; canon = line[1]; aliases = line.slice(2); }
    } else {
      const fromFile = hostsLookup(hosts, name);
      if (fromFile) {
        const line = hosts.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).find((f) => f[0] === fromFile && f.slice(1).some((n) => n.toLowerCase() === name.toLowerCase()))!;
        ip = fromFile; canon = line[1]!; aliases = line.slice(2);
      } else {
        const r = resolveName(ctx.sim, from, name, 'A');
        const a = r.answer?.answers.find((x) => x.type === 'A');
        if (a && r.addresses[0]) {
          ip = r.addresses[0];
          canon = a.name.replace(/\.$/, '');
          const asked = (r.fqdn ?? name).replace(/\.$/, '');
          if (asked !== canon) aliases = [asked];
        }
      }
    }
    if (!ip) { code = 2; continue; }
    if (db === 'hosts') out += `${ip.padEnd(15)} ${[canon, ...aliases].join(' ')}\n`;
    else out += `${ip.padEnd(15)} STREAM ${canon}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`;
  }
  return { stdout: out, stderr: '', exitCode: code };
};

// ---------------------------------------------------------------- ss

const SERVICE: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 179: 'bgp', 443: 'https', 8080: 'http-alt', 8472: 'otv' };

export const ss: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('ss: this terminal is your workstation: run it on a node or in a Pod\n', 1);
  let tcp = false; let udp = false; let listen = false; let all = false; let numeric = false; let proc = false; let summary = false;
  for (const a of argv.slice(1)) {
    const long: Record<string, () => void> = { '--tcp': () => { tcp = true; }, '--udp': () => { udp = true; }, '--listening': () => { listen = true; }, '--all': () => { all = true; }, '--numeric': () => { numeric = true; }, '--processes': () => { proc = true; }, '--summary': () => { summary = true; } };
    if (a.startsWith('--')) { const f = long[a]; if (!f) return fail(`ss: unrecognized option '${a}'\nUsage: ss [ OPTIONS ]\n`, 255); f(); continue; }
    if (!a.startsWith('-')) continue; // filters ("sport = :80") are not modelled
    for (const c of a.slice(1)) {
      if (c === 't') tcp = true; else if (c === 'u') udp = true; else if (c === 'l') listen = true; else if (c === 'a') all = true;
      else if (c === 'n') numeric = true; else if (c === 'p') proc = true; else if (c === 's') summary = true;
      else if ('4eimoH'.includes(c)) continue;
      else return fail(`ss: invalid option -- '${c}'\nUsage: ss [ OPTIONS ]\n`, 255);
    }
  }
  const socks = ns.listeners;
  if (summary) {
    const t = socks.filter((l) => l.protocol === 'tcp').length;
    const u = socks.filter((l) => l.protocol === 'udp').length;
    return ok(`Total: ${t + u}\nTCP:   ${t} (estab 0, closed 0, orphaned 0, timewait 0)\n\nTransport Total     IP        IPv6\nRAW\t  0         0         0        \nUDP\t  ${String(u).padEnd(10)}${String(u).padEnd(10)}0        \nTCP\t  ${String(t).padEnd(10)}${String(t).padEnd(10)}0        \nINET\t  ${String(t + u).padEnd(10)}${String(t + u).padEnd(10)}0        \nFRAG\t  0         0         0        \n\n`);
  }
  if (!tcp && !udp) tcp = true;
  // Only listening sockets exist between walks (connections live inside a walk): -a shows the same as -l.
  const rows = (listen || all) ? socks.filter((l) => (l.protocol === 'tcp' && tcp) || (l.protocol === 'udp' && udp)) : [];
  const both = tcp && udp;
  const port = (p: number): string => (numeric || !SERVICE[p] ? String(p) : SERVICE[p]!);
  const local = rows.map((l) => ({ addr: l.address === '0.0.0.0' ? '0.0.0.0' : l.address, port: port(l.port) }));
  const aw = Math.max(13, ...local.map((x) => x.addr.length + 1));
  const pw = Math.max(4, ...local.map((x) => x.port.length));
  const head = `${both ? 'Netid ' : ''}State  Recv-Q Send-Q ${'Local Address'.padStart(aw)}:${'Port'.padEnd(pw)} ${'Peer Address'.padStart(12)}:${'Port'.padEnd(4)}${proc ? 'Process' : ''}`;
  const lines = rows.map((l, i) => {
    const state = l.protocol === 'tcp' ? 'LISTEN' : 'UNCONN';
    const q = l.protocol === 'tcp' ? '4096' : '0';
    const p = processOf(ctx.sim, l);
    const users = proc ? `users:(("${p.name.split(':')[0]}",pid=${p.pid},fd=${3 + i}))` : '';
    return `${both ? `${l.protocol.padEnd(5)} ` : ''}${state.padEnd(6)} ${'0'.padEnd(6)} ${q.padEnd(6)} ${local[i]!.addr.padStart(aw)}:${local[i]!.port.padEnd(pw)} ${'0.0.0.0'.padStart(12)}:${'*'.padEnd(4)}${users}`.trimEnd();
  });
  return ok(`${head}\n${lines.map((l) => `${l}\n`).join('')}`);
};

export const webtoolCommands: Record<string, Command> = { wget, getent, ss };
