/**
 * DNS tools as a Pod, node or host runs them: `cat /etc/resolv.conf`, `nslookup` (BIND 9.18's),
 * `dig` (9.18's output, with a fixed query time and date so output is reproducible) and `host`.
 * Every lookup goes through resolveName: queries are packets walked to the nameserver.
 */
import type { Command, Target } from './types';
import { fail, ok, withTraces, type CommandResult, type ShellContext } from './types';
import type { Trace } from '../trace/types';
import { resolveName, resolvConfTextFor, type ResolveOptions, type ResolveResult } from '../clients/dns/resolve';
import type { SearchStep } from '../clients/dns/search';
import { RR_TYPES, type DnsResponse, type DnsRR, type RRType } from '../agents/coredns/answer';
import { ipToReverse } from '../agents/coredns/records';
import { ipFamily } from '../addr/family';
import { hasIPv6 } from '../net/ipv6';
import { isIp } from '../addr/ip';
import { hashString } from '../util/rand';
import type { FileProvider } from './files';
import { CLUSTER_START_MS, formatDate, wallClockMs } from '../util/clock';

/** The walk's notation for a shell target ("pod/NS/NAME", "node/N#netns"), or null for the workstation. */
export function targetFrom(t: Target): string | null {
  switch (t.kind) {
    case 'workstation': return null;
    case 'pod': return `pod/${t.namespace}/${t.name}`;
    case 'node': return `node/${t.name}${t.netns ? `#${t.netns}` : ''}`;
    case 'host': return `host/${t.name}${t.netns ? `#${t.netns}` : ''}`;
  }
}

export const resolvConfProvider: FileProvider = (ctx, path) => {
  if (path !== '/etc/resolv.conf') return null;
  const from = targetFrom(ctx.target);
  return from ? resolvConfTextFor(ctx.sim.model, from) : null;
};

const NOT_HERE = (tool: string): string =>
  `${tool}: the workstation has no cluster resolver; run it inside a Pod or on a node (knp exec FILE pod/NS/NAME -- ${tool} NAME)\n`;

const noDot = (n: string): string => n.replace(/\.$/, '');

type Resolve = (from: string, name: string, type?: RRType, opts?: ResolveOptions) => ResolveResult;

/** A lookup command that hands back the query packets it walked (CommandResult.traces). */
function recorded(run: (ctx: ShellContext, argv: readonly string[], resolve: Resolve) => CommandResult): Command {
  return (ctx, argv) => {
    const traces: Trace[] = [];
    const resolve: Resolve = (from, name, type, opts) => { const r = resolveName(ctx.sim, from, name, type, opts); traces.push(...r.traces); return r; };
    return withTraces(run(ctx, argv, resolve), traces);
  };
}

// ---------------------------------------------------------------- dig

const DIG_VERSION = '9.18.28';

/** The printed width of a string with 8-column tabs. */
function width(s: string): number {
  let w = 0;
  for (const c of s) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

function tabTo(line: string, stop: number): string {
  let s = line;
  if (width(s) >= stop) return `${s} `;
  while (width(s) < stop) s += '\t';
  return s;
}

export function digRR(rr: DnsRR): string {
  let s = tabTo(rr.name, 24);
  s = tabTo(`${s}${rr.ttl}`, 32);
  s = tabTo(`${s}IN`, 40);
  s = tabTo(`${s}${rr.type}`, 48);
  return `${s}${rr.data}`;
}

/** The question line has no TTL: the name runs to the class column. */
function digQuestion(name: string, type: RRType): string {
  return `${tabTo(`${tabTo(`;${name}`, 32)}IN`, 40)}${type}`;
}

/** Wire size of a name with compression against names already written. */
function nameSize(name: string, written: Set<string>): number {
  const labels = noDot(name).split('.').filter(Boolean);
  let size = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (written.has(suffix)) return size + 2;
    written.add(suffix);
    size += labels[i]!.length + 1;
  }
  return size + 1;
}

function rdataSize(rr: DnsRR, written: Set<string>): number {
  switch (rr.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'CNAME': case 'PTR': case 'NS': return nameSize(rr.data, written);
    case 'SRV': return 6 + nameSize(rr.data.split(' ')[3] ?? '.', new Set());
    case 'SOA': { const [m, r] = rr.data.split(' '); return nameSize(m ?? '.', written) + nameSize(r ?? '.', written) + 20; }
    default: return rr.data.length + 1;
  }
}

export function messageSize(qname: string, r: DnsResponse): number {
  const written = new Set<string>();
  let size = 12 + nameSize(qname, written) + 4;
  for (const rr of [...r.answers, ...r.authority, ...(r.additional ?? [])]) size += nameSize(rr.name, written) + 10 + rdataSize(rr, written);
  return size + 11; // OPT
}

export function digHeaderFlags(r: DnsResponse): string {
  return `qr${r.authoritative ? ' aa' : ''} rd${r.recursionAvailable || r.forwardTo ? ' ra' : ''}`;
}

/** One answered query as dig prints it, from ";; Got answer:" to the MSG SIZE line. */
function digMessage(type: RRType, step: SearchStep, r: DnsResponse, tcp: boolean, when: string): string {
  const name = step.name;
  const id = hashString(`${name}/${type}`) % 65536;
  const add = (r.additional?.length ?? 0) + 1;
  let out = ';; Got answer:\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${id}\n`;
  out += `;; flags: ${digHeaderFlags(r)}; QUERY: 1, ANSWER: ${r.answers.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${add}\n`;
  if (!(r.recursionAvailable || r.forwardTo)) out += ';; WARNING: recursion requested but not available\n';
  out += '\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
  out += `;; QUESTION SECTION:\n${digQuestion(name, type)}\n`;
  if (r.answers.length) out += `\n;; ANSWER SECTION:\n${r.answers.map(digRR).join('\n')}\n`;
  if (r.authority.length) out += `\n;; AUTHORITY SECTION:\n${r.authority.map(digRR).join('\n')}\n`;
  if (r.additional?.length) out += `\n;; ADDITIONAL SECTION:\n${r.additional.map(digRR).join('\n')}\n`;
  out += `\n;; Query time: 0 msec\n;; SERVER: ${step.server}#53(${step.server}) (${tcp ? 'TCP' : 'UDP'})\n;; WHEN: ${when}\n;; MSG SIZE  rcvd: ${messageSize(name, r)}\n\n`;
  return out;
}

/** dig's whole output; `showSearch` (+showsearch) prints every attempt of the search list, not only the last. */
/** `when` is the WHEN: line's date, from the simulation's clock (util/clock.ts). */
export function formatDig(argsText: string, type: RRType, res: ResolveResult, showSearch = false, tcp = false, when = formatDate(CLUSTER_START_MS)): { text: string; code: number } {
  const head = `\n; <<>> DiG ${DIG_VERSION} <<>> ${argsText}\n;; global options: +cmd\n`;
  const step = res.steps[res.steps.length - 1];
  const r = res.answer;
  if (!r || !step) {
    const server = step?.server ?? '';
    const why = step?.error === 'refused' ? 'connection refused' : step?.error === 'unreachable' ? 'host unreachable' : 'timed out';
    const comm = server ? `;; communications error to ${server}#53: ${why}\n`.repeat(why === 'timed out' ? 3 : 1) : '';
    return { text: `${comm}${head};; no servers could be reached\n\n`, code: 9 };
  }
  if (!showSearch) return { text: head + digMessage(type, step, r, tcp, when), code: 0 };
  let out = head;
  for (const s of res.steps) {
    if (s.response) out += digMessage(type, s, s.response, tcp, when);
    else out += `;; communications error to ${s.server}#53: timed out\n`;
  }
  return { text: out, code: 0 };
}

const parseType = (s: string): RRType | null => {
  const u = s.toUpperCase();
  return (RR_TYPES as readonly string[]).includes(u) ? (u as RRType) : null;
};

const dig: Command = recorded((ctx, argv, resolve) => {
  const from = targetFrom(ctx.target);
  if (!from) return fail(NOT_HERE('dig'));
  let server: string | undefined;
  let name: string | undefined;
  let type: RRType | undefined;
  let short = false;
  let search = false;
  let showSearch = false;
  let tcp = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a === '+showsearch') { search = true; showSearch = true; }
    else if (a === '+tcp' || a === '+vc') tcp = true;
    else if (a === '+notcp' || a === '+novc') tcp = false;
    else if (a === '+nosearch') search = false;
    else if (a.startsWith('+')) continue; // other display options: accepted, not modelled
    else if (a === '-t') { const t = parseType(argv[++i] ?? ''); if (!t) return fail(`dig: invalid type: ${argv[i] ?? ''}\n`, 1); type = t; }
    else if (a === '-x') { const ip = argv[++i] ?? ''; if (!isIp(ip) && ipFamily(ip) !== 6) return fail(`dig: '${ip}' is not a legal IPv4 address\n`, 1); name = ipToReverse(ip); type = 'PTR'; }
    // dig takes a word that names a type as the type wherever it stands: `dig SRV NAME` = `dig NAME SRV`.
    else if (!type && parseType(a) && !a.includes('.')) type = parseType(a)!;
    else if (!name) name = a;
    else name = a;
  }
  if (!name) { name = '.'; type = type ?? 'NS'; }
  const t = type ?? 'A';
  if (server && ipFamily(server) === null) {
    const r0 = resolve(from, server, 'A');
    if (!r0.addresses[0]) return fail(`dig: couldn't get address for '${server}': not found\n`, 10);
    server = r0.addresses[0];
  }
  const res = resolve(from, name, t, { search, tcp, ...(server ? { server } : {}) });
  if (short) {
    if (!res.answer) {
      const s = res.steps[res.steps.length - 1];
      return { stdout: `;; communications error to ${s?.server ?? ''}#53: timed out\n`.repeat(3) + ';; no servers could be reached\n', stderr: '', exitCode: 9 };
    }
    return ok(res.answer.answers.map((a) => `${a.data}\n`).join(''));
  }
  const { text, code } = formatDig(argv.slice(1).join(' '), t, res, showSearch, tcp, formatDate(wallClockMs(ctx.sim)));
  return { stdout: text, stderr: '', exitCode: code };
});

// ---------------------------------------------------------------- nslookup

function nslookupRR(rr: DnsRR): string {
  switch (rr.type) {
    case 'A': case 'AAAA': return `Name:\t${noDot(rr.name)}\nAddress: ${rr.data}\n`;
    case 'CNAME': return `${noDot(rr.name)}\tcanonical name = ${rr.data}\n`;
    case 'PTR': return `${noDot(rr.name)}\tname = ${rr.data}\n`;
    case 'SRV': return `${noDot(rr.name)}\tservice = ${rr.data}\n`;
    case 'NS': return `${noDot(rr.name)}\tnameserver = ${rr.data}\n`;
    case 'TXT': return `${noDot(rr.name)}\ttext = ${rr.data}\n`;
    case 'SOA': {
      const [m, h, serial, refresh, retry, expire, min] = rr.data.split(' ');
      return `${noDot(rr.name)}\n\torigin = ${noDot(m ?? '')}\n\tmail addr = ${noDot(h ?? '')}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${min}\n`;
    }
    default: return `${noDot(rr.name)}\t${rr.type} ${rr.data}\n`;
  }
}

const nslookup: Command = recorded((ctx, argv, resolve) => {
  const from = targetFrom(ctx.target);
  if (!from) return fail(NOT_HERE('nslookup'));
  let type: RRType | null = null;
  const pos: string[] = [];
  for (const a of argv.slice(1)) {
    const m = /^-(?:type|query|q|t)=(.+)$/i.exec(a);
    if (m) { const t = parseType(m[1]!); if (!t) return fail(`unknown query type: ${m[1]}\n`, 1); type = t; }
    else if (!a.startsWith('-')) pos.push(a);
  }
  const [name, serverArg] = pos;
  if (!name) return fail('Usage: nslookup [-type=TYPE] NAME [SERVER]   (interactive mode is not simulated)\n', 1);
  let server = serverArg;
  if (server && ipFamily(server) === null) {
    const r0 = resolve(from, server, 'A');
    if (!r0.addresses[0]) return fail(`nslookup: couldn't get address for '${server}': not found\n`, 1);
    server = r0.addresses[0];
  }
  const reverse = ipFamily(name) !== null;
  const qname = reverse ? ipToReverse(name) : name;
  const qtype: RRType = type ?? (reverse ? 'PTR' : 'A');
  const res = resolve(from, qname, qtype, server ? { server } : {});
  // BIND's nslookup asks AAAA after A for a plain name; on a cluster with an IPv6 family that
  // second query is walked too (an IPv4-only cluster has no AAAA, which would print nothing).
  const six = type === null && !reverse && res.answer?.rcode === 'NOERROR' && hasIPv6(ctx.sim.model) ? resolve(from, qname, 'AAAA', server ? { server } : {}) : null;
  const aaaa = six?.answer?.rcode === 'NOERROR' ? six.answer.answers.filter((rr) => rr.type === 'AAAA') : [];
  const step = res.steps[res.steps.length - 1];
  const used = step?.server ?? server ?? '';
  if (!res.answer) {
    const why = step?.error === 'refused' ? 'connection refused' : step?.error === 'unreachable' ? 'host unreachable' : null;
    const text = why ? `;; communications error to ${used}#53: ${why}\n;; no servers could be reached\n\n` : ';; connection timed out; no servers could be reached\n\n';
    return { stdout: text, stderr: '', exitCode: 1 };
  }
  let out = `Server:\t\t${used}\nAddress:\t${used}#53\n\n`;
  const r = res.answer;
  if (r.rcode !== 'NOERROR') return { stdout: `${out}** server can't find ${reverse ? noDot(qname) : name}: ${r.rcode}\n\n`, stderr: '', exitCode: 1 };
  // BIND's nslookup when the name exists without records of the type asked.
  if (!r.answers.length && !aaaa.length) return { stdout: `${out}*** Can't find ${name}: No answer\n\n`, stderr: '', exitCode: 1 };
  if (!r.authoritative) out += 'Non-authoritative answer:\n';
  for (const rr of r.answers) out += nslookupRR(rr);
  for (const rr of aaaa) out += nslookupRR(rr);
  return ok(`${out}\n`);
});

// ---------------------------------------------------------------- host

function hostRR(rr: DnsRR): string {
  const n = noDot(rr.name);
  switch (rr.type) {
    case 'A': return `${n} has address ${rr.data}\n`;
    case 'AAAA': return `${n} has IPv6 address ${rr.data}\n`;
    case 'CNAME': return `${n} is an alias for ${rr.data}\n`;
    case 'PTR': return `${n} domain name pointer ${rr.data}\n`;
    case 'SRV': return `${n} has SRV record ${rr.data}\n`;
    case 'NS': return `${n} name server ${rr.data}\n`;
    case 'TXT': return `${n} descriptive text ${rr.data}\n`;
    case 'SOA': return `${n} has SOA record ${rr.data}\n`;
    default: return `${n} has ${rr.type} record ${rr.data}\n`;
  }
}

const RCODE_NUM: Record<DnsResponse['rcode'], number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

const host: Command = recorded((ctx, argv, resolve) => {
  const from = targetFrom(ctx.target);
  if (!from) return fail(NOT_HERE('host'));
  let type: RRType | null = null;
  const pos: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-t') { const t = parseType(argv[++i] ?? ''); if (!t) return fail(`host: invalid type: ${argv[i] ?? ''}\n`, 1); type = t; }
    else if (!a.startsWith('-')) pos.push(a);
  }
  const [name, server] = pos;
  if (!name) return fail('Usage: host [-t type] {name} [server]\n', 1);
  const reverse = ipFamily(name) !== null;
  const qname = reverse ? ipToReverse(name) : name;
  const res = resolve(from, qname, type ?? (reverse ? 'PTR' : 'A'), server && ipFamily(server) !== null ? { server } : {});
  if (!res.answer) return { stdout: ';; connection timed out; no servers could be reached\n', stderr: '', exitCode: 1 };
  const r = res.answer;
  if (r.rcode !== 'NOERROR') return { stdout: `Host ${reverse ? noDot(qname) : name} not found: ${RCODE_NUM[r.rcode]}(${r.rcode})\n`, stderr: '', exitCode: 1 };
  let out = server ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : '';
  out += r.answers.map(hostRR).join('');
  // host asks AAAA (and MX) after A for a plain name; on a cluster with an IPv6 family the AAAA query is walked too.
  if (type === null && !reverse && hasIPv6(ctx.sim.model)) {
    const six = resolve(from, qname, 'AAAA', server && ipFamily(server) !== null ? { server } : {});
    if (six.answer?.rcode === 'NOERROR') out += six.answer.answers.filter((rr) => rr.type === 'AAAA').map(hostRR).join('');
  }
  return ok(out);
});

export const dnsCommands: Record<string, Command> = { dig, nslookup, host };
