/**
 * The trace as a story: the level a beginner reads first. Computed from the trace's events only
 * (never per scenario), every event belongs to exactly one step.
 *
 *   events ──► hops: a packet of one leg (flow) in one machine, from entering to leaving;
 *              ARP exchanges the hop needed fold into it (their frames may visit other machines)
 *          ──► legs: consecutive hops of one flow; a leg whose machines repeat an earlier leg of
 *              the same direction folds into one step ("the ACK takes the same 3 hops as the SYN")
 *          ──► one sentence per step naming the decisive cause, as a message code + params
 *
 * Badges name what changed at this step only, comparing the packet as it entered with the
 * packet as it left (the inner packet across an encapsulation), and which event changed it:
 * a rule's or conntrack's NAT on the original direction is dnat/snat, conntrack's un-NAT on a
 * reply is reverse-nat.
 */
import { message, type Message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import { detailRecord, isEvent, isUnNat, type Trace, type TraceEvent } from './types';

export type Phase = 'dns' | 'handshake' | 'ping' | 'request' | 'response' | 'teardown';
/** Phases in the order an exchange goes through them. */
export const PHASES: readonly Phase[] = ['dns', 'handshake', 'ping', 'request', 'response', 'teardown'];
export type Leg = 'request' | 'reply';
export type Badge = 'dnat' | 'snat' | 'reverse-nat' | 'ttl' | 'mac' | 'encap' | 'decap';
export const BADGES: readonly Badge[] = ['dnat', 'snat', 'reverse-nat', 'ttl', 'mac', 'encap', 'decap'];

export interface StoryStep {
  readonly phase: Phase;
  readonly leg: Leg;
  /** The flow of the packet this step tells (`syn`, `dns:request`, `relay:response#2`…). */
  readonly flow: string;
  /** Which connection of the exchange: "" for the first, "#2"…, "relay:" for a proxy's own. */
  readonly connection: string;
  readonly machine: string;
  /** The device the packet entered through (or left by, for the sender). */
  readonly dev?: string;
  readonly message: Message;
  /** The seqs of the events this step covers, in order. */
  readonly events: readonly number[];
  /** What changed at this step. */
  readonly badges: readonly Badge[];
  /** The event whose packet is the packet as it arrived here (as sent, at the sender). */
  readonly inSeq?: number;
  /** The event whose packet is the packet as it left (as delivered, at the receiver). */
  readonly outSeq?: number;
  /** For a folded leg: the machines it crossed. */
  readonly hops?: readonly string[];
}

interface FlowParts {
  readonly base: string;
  readonly dns: boolean;
  readonly relay: boolean;
  readonly suffix: string;
}

const partsCache = new Map<string, FlowParts>();

export function flowParts(flow: string): FlowParts {
  const hit = partsCache.get(flow);
  if (hit) return hit;
  const p = parseFlow(flow);
  // A trace has a handful of distinct flows; the cache stays small.
  if (partsCache.size < 4096) partsCache.set(flow, p);
  return p;
}

function parseFlow(flow: string): FlowParts {
  const parts = flow.split(':');
  const last = parts[parts.length - 1]!;
  const m = /^(.*?)(#\d+)?$/.exec(last)!;
  return { base: m[1]!, dns: parts.includes('dns'), relay: parts.includes('relay'), suffix: m[2] ?? '' };
}

const REPLY_BASES = new Set(['syn-ack', 'response', 'fin-ack', 'echo-reply', 'rst', 'icmp-error']);

function phaseOf(p: FlowParts): Phase | null {
  if (p.dns) return 'dns';
  switch (p.base) {
    case 'syn': case 'syn-ack': case 'ack': return 'handshake';
    case 'echo-request': case 'echo-reply': return 'ping';
    case 'request': return 'request';
    case 'response': return 'response';
    case 'fin': case 'fin-ack': case 'last-ack': return 'teardown';
    default: return null; // rst, icmp-error, arp: the phase of the leg they answer or serve
  }
}

const legOf = (p: FlowParts): Leg => (REPLY_BASES.has(p.base) || p.base.endsWith('-reply') ? 'reply' : 'request');
/** Address resolution (ARP, or IPv6 neighbour discovery): folded into the step of the packet waiting for it. */
const isArp = (flow: string): boolean => { const b = flowParts(flow).base; return b === 'arp' || b === 'ndisc'; };

/** A short name for a machine: the Pod's, the node's or the host's name. */
export function machineLabel(machine: string): string {
  const parts = machine.split('/');
  return parts[parts.length - 1] ?? machine;
}

interface Draft {
  flow: string;
  machine: string;
  events: TraceEvent[];
}

/** Steps of the story, in trace order. */
export function deriveStory(trace: Trace): StoryStep[] {
  const hops = splitHops(trace.events);
  const steps: StoryStep[] = [];
  const seenPaths = new Set<string>();
  let lastPhase: Phase = trace.protocol === 'icmp' ? 'ping' : 'request';
  for (let i = 0; i < hops.length;) {
    // One leg: the consecutive hops of one flow.
    let j = i + 1;
    while (j < hops.length && hops[j]!.flow === hops[i]!.flow) j++;
    const leg = hops.slice(i, j);
    i = j;
    const parts = flowParts(leg[0]!.flow);
    const phase: Phase = phaseOf(parts) ?? lastPhase;
    lastPhase = phase;
    const direction = legOf(parts);
    const connection = `${parts.relay ? 'relay:' : ''}${parts.suffix}`;
    const machines = leg.map((h) => h.machine);
    const key = `${direction} ${machines.join(' ')}`;
    const eventful = leg.some((h) => h.events.some((e) => e.type === 'drop' && !isArp(e.flow) || e.type === 'icmp-error'));
    if (leg.length > 1 && seenPaths.has(key) && !eventful) {
      const events = leg.flatMap((h) => h.events);
      const like = steps.slice().reverse().find((s) => s.leg === direction && s.hops === undefined && legKey(steps, s) === key);
      steps.push(finish({
        phase, leg: direction, flow: leg[0]!.flow, connection, machine: machines[0]!, events,
        msg: message('story.sameWay', { what: describePacket(firstPacket(events)), like: like?.flow ?? '', n: machines.length, hops: machines.map(machineLabel).join(' → ') }),
        hops: machines,
      }));
      continue;
    }
    seenPaths.add(key);
    for (const h of leg) steps.push(finish({ phase, leg: direction, flow: h.flow, connection, machine: h.machine, events: h.events, msg: sentence(h) }));
  }
  return steps;
}

/** The machine path of the leg a (non-folded) step belongs to, to name the leg a folded one repeats. */
function legKey(steps: readonly StoryStep[], s: StoryStep): string {
  const i = steps.indexOf(s);
  let a = i;
  while (a > 0 && steps[a - 1]!.flow === s.flow && steps[a - 1]!.hops === undefined) a--;
  let b = i;
  while (b + 1 < steps.length && steps[b + 1]!.flow === s.flow && steps[b + 1]!.hops === undefined) b++;
  return `${s.leg} ${steps.slice(a, b + 1).map((x) => x.machine).join(' ')}`;
}

/**
 * Cuts the events into hops: a new hop starts when a non-ARP event's flow or machine changes.
 * ARP events (and the frames they flood to other machines) stay with the hop that needed them.
 */
function splitHops(events: readonly TraceEvent[]): Draft[] {
  const out: Draft[] = [];
  let cur: Draft | null = null;
  for (const e of events) {
    if (isArp(e.flow) && cur) { cur.events.push(e); continue; }
    if (!cur || cur.flow !== e.flow || cur.machine !== e.where.machine) {
      cur = { flow: e.flow, machine: e.where.machine, events: [] };
      out.push(cur);
    }
    cur.events.push(e);
  }
  return out;
}

interface StepInput {
  readonly phase: Phase;
  readonly leg: Leg;
  readonly flow: string;
  readonly connection: string;
  readonly machine: string;
  readonly events: readonly TraceEvent[];
  readonly msg: Message;
  readonly hops?: readonly string[];
}

function finish(s: StepInput): StoryStep {
  const own = s.events.filter((e) => !isArp(e.flow));
  const withPacket = own.filter((e) => e.packet);
  const inEv = withPacket[0];
  // The packet as it left: the last transmit of this step, else (delivered here) the last packet.
  const outEv = [...withPacket].reverse().find((e) => e.type === 'tx') ?? withPacket[withPacket.length - 1];
  const dev = own.find((e) => e.where.dev !== undefined && e.where.machine === s.machine)?.where.dev;
  return {
    phase: s.phase, leg: s.leg, flow: s.flow, connection: s.connection, machine: s.machine,
    ...(dev !== undefined ? { dev } : {}),
    message: s.msg,
    events: s.events.map((e) => e.seq),
    badges: badgesOf(own, inEv?.packet, outEv?.packet),
    ...(inEv ? { inSeq: inEv.seq } : {}),
    ...(outEv ? { outSeq: outEv.seq } : {}),
    ...(s.hops ? { hops: s.hops } : {}),
  };
}

/** The IP packet a comparison should look at: the inner one of a tunnel packet. */
function l3(p: Packet | undefined, tunnelled: boolean): Packet | undefined {
  if (!p) return undefined;
  return tunnelled && p.inner ? p.inner : p;
}

/**
 * What changed between the packet entering and leaving, attributed to the event that did it:
 * an address change is dnat/snat when a `nat` event did it, reverse-nat when conntrack's reply
 * un-NAT did. A hop with no such event changes no address, whatever another hop did.
 */
export function badgesOf(events: readonly TraceEvent[], pin: Packet | undefined, pout: Packet | undefined): Badge[] {
  const out = new Set<Badge>();
  const encap = events.some((e) => e.type === 'encap');
  const decap = events.some((e) => e.type === 'decap');
  if (encap) out.add('encap');
  if (decap) out.add('decap');
  // Compare like with like: the packet inside the tunnel on whichever side has one.
  const a = l3(pin, decap || (!!pin?.inner && !pout?.inner));
  const b = l3(pout, encap || (!!pout?.inner && !pin?.inner));
  const natDst = events.some((e) => e.type === 'nat' && e.detail.manip === 'dst');
  const natSrc = events.some((e) => e.type === 'nat' && e.detail.manip === 'src');
  const unNat = events.some((e) => e.type === 'conntrack' && isUnNat(e.detail));
  if (a?.ip && b?.ip) {
    const dstChanged = a.ip.dst !== b.ip.dst || portOf(a, 'd') !== portOf(b, 'd');
    const srcChanged = a.ip.src !== b.ip.src || portOf(a, 's') !== portOf(b, 's');
    if (dstChanged && natDst) out.add('dnat');
    if (srcChanged && natSrc) out.add('snat');
    if ((dstChanged || srcChanged) && unNat) out.add('reverse-nat');
    if (b.ip.ttl < a.ip.ttl) out.add('ttl');
  }
  if (pin?.eth && pout?.eth && !encap && !decap && (pin.eth.src !== pout.eth.src || pin.eth.dst !== pout.eth.dst)) out.add('mac');
  return BADGES.filter((x) => out.has(x));
}

function portOf(p: Packet, which: 's' | 'd'): number | undefined {
  const l4 = p.tcp ?? p.udp;
  return l4 ? (which === 's' ? l4.sport : l4.dport) : undefined;
}

function firstPacket(events: readonly TraceEvent[]): Packet | undefined {
  return events.find((e) => e.packet && !isArp(e.flow))?.packet;
}

/** A protocol-level name for a packet, the same in every language: "TCP SYN", "HTTP GET /", "DNS A? web.". */
export function describePacket(p: Packet | undefined): string {
  if (!p) return '?';
  const pl = p.payload;
  if (pl?.kind === 'http-request') return `HTTP ${pl.method} ${pl.path}`;
  if (pl?.kind === 'http-response') return `HTTP ${pl.status}`;
  if (pl?.kind === 'dns') {
    const m = (pl.message ?? {}) as { question?: { name: string; type: string }; response?: { rcode: string } };
    if (m.response) return `DNS ${m.response.rcode} ${m.question?.name ?? ''}`.trim();
    return `DNS ${m.question?.type ?? ''}? ${m.question?.name ?? ''}`.trim();
  }
  if (p.tcp) {
    const f = p.tcp.flags;
    const names = [f.syn && 'SYN', f.fin && 'FIN', f.rst && 'RST', f.ack && 'ACK'].filter(Boolean);
    return `TCP ${names.join('-') || 'segment'}`;
  }
  // ICMP before the payload: a ping carries data bytes too, and it is still an echo request.
  if (p.icmp && p.ip?.version === 6) return ICMP6_NAMES[p.icmp.type] ?? `ICMPv6 type ${p.icmp.type}`;
  if (p.icmp) return ICMP_NAMES[p.icmp.type] ?? `ICMP type ${p.icmp.type}`;
  if (pl?.kind === 'data' || pl?.kind === 'bytes') {
    const n = pl.kind === 'data' ? pl.text.length : pl.length;
    return `${p.tcp ? 'TCP' : 'UDP'} data (${n} bytes)`;
  }
  if (p.udp) return 'UDP';
  return 'IP';
}

const ICMP_NAMES: Readonly<Record<number, string>> = { 0: 'ICMP echo reply', 3: 'ICMP destination unreachable', 8: 'ICMP echo request', 11: 'ICMP time exceeded' };
/** ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861) have their own type numbers. */
const ICMP6_NAMES: Readonly<Record<number, string>> = {
  1: 'ICMPv6 destination unreachable', 2: 'ICMPv6 packet too big', 3: 'ICMPv6 time exceeded', 128: 'ICMPv6 echo request', 129: 'ICMPv6 echo reply',
  135: 'NDP neighbor solicitation', 136: 'NDP neighbor advertisement',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The chain whose rule made the NAT decision: the last netfilter event before `nat` with a NAT verdict (iptables' DNAT/MASQUERADE targets or nft's dnat/masquerade statements). */
function natChain(events: readonly TraceEvent[], nat: TraceEvent): string | null {
  const i = events.indexOf(nat);
  for (let k = i - 1; k >= 0; k--) {
    const e = events[k]!;
    if (e.type === 'nat' || e.type === 'send' || e.type === 'veth') break;
    if (e.type === 'netfilter' && 'verdict' in e.detail && /^(DNAT|SNAT|MASQUERADE|REDIRECT|dnat |snat |masquerade|redirect)/.test(e.detail.verdict)) return e.detail.chain;
  }
  return null;
}

/** A tunnel's kind as the story names it. */
/** A tunnel's name in a sentence: the label its emitter gave (weave's sleeve), else its kind. */
function tunnelLabel(d: { readonly kind: string; readonly label?: string }): string {
  return d.label ?? tunnelKind(d.kind as Parameters<typeof tunnelKind>[0]);
}

function tunnelKind(kind: 'vxlan' | 'ipip' | 'udp'): string {
  return kind === 'udp' ? 'flannel UDP' : kind.toUpperCase();
}

/** The one sentence of a hop: its decisive event, in order of what matters most to a learner. */
function sentence(h: Draft): Message {
  const own = h.events.filter((e) => !isArp(e.flow));
  const who = machineLabel(h.machine);
  if (h.flow === 'dns' || own.every((e) => e.type === 'dns')) return resolveSentence(h);
  const drop = [...own].reverse().find(isEvent('drop'));
  if (drop && drop === own[own.length - 1]) return message('story.drop', { who, reason: drop.detail.reasonMessage ?? (drop.detail.reason || drop.summary) });
  const icmp = own.find(isEvent('icmp-error'));
  if (icmp) return message('story.icmpError', { who, type: icmp.detail.type, code: icmp.detail.code });
  const nat = own.find(isEvent('nat'));
  if (nat) {
    const chain = natChain(own, nat);
    const { before, after } = nat.detail;
    const dst = nat.detail.manip === 'dst';
    if (chain) return message(dst ? 'story.dnat' : 'story.snat', { who, chain, before, after });
    return message(dst ? 'story.ctDnat' : 'story.ctSnat', { who, before, after });
  }
  const unNats = own.filter(isEvent('conntrack')).map((e) => e.detail).filter(isUnNat);
  const unDnat = unNats.find((d) => d.action === 'un-DNAT');
  const unSnat = unNats.find((d) => d.action === 'un-SNAT');
  if (unDnat && unSnat) {
    return message('story.reverseBoth', { who, srcBefore: unDnat.before, srcAfter: unDnat.after, dstBefore: unSnat.before, dstAfter: unSnat.after });
  }
  const unNat = unDnat ?? unSnat;
  if (unNat) return message(unNat.action === 'un-DNAT' ? 'story.reverseDnat' : 'story.reverseSnat', { who, before: unNat.before, after: unNat.after });
  const encap = own.find(isEvent('encap'));
  if (encap) {
    const outer = [...own].reverse().find((e) => e.type === 'tx' && e.packet?.inner)?.packet ?? encap.packet;
    return message('story.encap', { who, kind: tunnelLabel(encap.detail), dev: encap.where.dev ?? '', remote: outer?.ip?.dst ?? '' });
  }
  const decap = own.find(isEvent('decap'));
  const route = own.find(isEvent('route'));
  const deliver = own.find(isEvent('deliver'));
  if (deliver) {
    const d = deliver.detail;
    if (!d || !('listener' in d)) return message('story.received', { who, what: describePacket(deliver.packet) });
    return message('story.deliver', { who, listener: d.listener, src: d.seenSource || `${deliver.packet?.ip?.src ?? ''}` });
  }
  if (decap && !route) return message('story.decap', { who, kind: tunnelLabel(decap.detail), dev: decap.where.dev ?? '' });
  // A Service translated at the socket (cgroup/connect4): the address the app asked for never reaches a packet.
  const sock = own.find((e) => e.type === 'hook' && detailRecord(e)['hook'] === 'sock-connect');
  if (sock) {
    const d = detailRecord(sock);
    return message('story.sockLb', { who, before: String(d['from'] ?? ''), after: String(d['to'] ?? ''), program: `${String(d['owner'] ?? '')} ${String(d['section'] ?? '')}`.trim() });
  }
  const send = own.find(isEvent('send'));
  if (send) {
    const dst = send.packet?.ip?.dst ?? '';
    if (route?.detail.route) return message('story.send', { who, what: describePacket(send.packet), dst, dev: route.where.dev ?? '', route: route.detail.route });
    return message('story.sendLocal', { who, what: describePacket(send.packet), dst });
  }
  if (route?.detail.route) return message('story.route', { who, dst: route.detail.dst, dev: route.where.dev ?? '', route: route.detail.route });
  const user = own.find(isEvent('userspace'));
  if (user) return message('story.userspace', { who, process: user.detail.process });
  const app = own.find(isEvent('app'));
  if (app) return message('story.app', { who, app: app.detail.app });
  const fwd = [...own].reverse().find(isEvent('bridge-forward'));
  if (fwd) return message('story.bridge', { who, bridge: fwd.where.dev ?? '', port: fwd.detail.port });
  if (decap) return message('story.decap', { who, kind: decap.detail.kind.toUpperCase(), dev: decap.where.dev ?? '' });
  return message('story.enter', { who, dev: own.find((e) => e.where.dev)?.where.dev ?? h.events[0]?.where.dev ?? '' });
}

/** The resolver's search-list attempts, told as one step. */
function resolveSentence(h: Draft): Message {
  const who = machineLabel(h.machine);
  const tries = h.events.filter(isEvent('dns'));
  const ok = tries.find((e) => e.detail.outcome !== 'nxdomain' && e.detail.answers.length > 0);
  if (ok) {
    const answers = ok.detail.answers.map((a) => (typeof a === 'string' ? a : str((a as { data?: unknown; address?: unknown }).data ?? (a as { address?: unknown }).address))).filter(Boolean);
    return message('story.resolve', { who, tries: tries.length, name: ok.detail.name, answer: answers.join(', ') || '?' });
  }
  const last = tries[tries.length - 1];
  return message('story.resolveFailed', { who, tries: tries.length, rcode: last?.detail.rcode || last?.detail.outcome || '?' });
}

/** Seq range of a step's events, "12-30" or "7". Steps cover contiguous runs of events. */
export function eventRange(s: StoryStep): string {
  const a = s.events[0];
  const b = s.events[s.events.length - 1];
  return a === b ? String(a) : `${a}-${b}`;
}
