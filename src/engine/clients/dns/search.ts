/**
 * The stub resolver's search-list algorithm (glibc res_search), as data:
 *
 *   name ends with "."         → only the name itself
 *   dots(name) >= ndots        → the name itself first, then NAME.SEARCH1, NAME.SEARCH2, ...
 *   dots(name) <  ndots        → NAME.SEARCH1, NAME.SEARCH2, ..., then the name itself
 *
 * The first attempt that returns records wins. NXDOMAIN, NOERROR-without-records (NODATA) and
 * SERVFAIL move on to the next name; the last meaningful failure is what the caller reports.
 * With ndots:5 "kubernetes.default" (1 dot) therefore asks for
 * kubernetes.default.default.svc.cluster.local. first (NXDOMAIN), then
 * kubernetes.default.svc.cluster.local. (an answer).
 */
import type { DnsResponse } from '../../agents/coredns/answer';
import { ndotsOf, type ResolvConf } from '../../agents/kubelet/resolvconf';

export type StepOutcome = 'answer' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'unreachable';

export interface SearchStep {
  /** Fully qualified (trailing dot). */
  readonly name: string;
  /** The nameserver asked. */
  readonly server: string;
  readonly outcome: StepOutcome;
  /** null when no answer came back (timeout, dropped, port unreachable). */
  readonly response: DnsResponse | null;
  /** Why no answer came back (the walk's reason), when it did not. */
  readonly reason?: string;
  /** What the transport said when no answer came: ICMP port unreachable ("refused"), host unreachable. */
  readonly error?: 'refused' | 'unreachable' | 'timeout';
}

/** The names the resolver will try, in order, all fully qualified. */
export function candidates(name: string, rc: Pick<ResolvConf, 'searches' | 'options'>, useSearch = true): string[] {
  if (name.endsWith('.')) return [name.toLowerCase()];
  const n = name.toLowerCase();
  const abs = `${n}.`;
  if (!useSearch || rc.searches.length === 0) return [abs];
  const dots = (n.match(/\./g) ?? []).length;
  const searched = rc.searches.map((s) => `${n}.${s.replace(/\.$/, '').toLowerCase()}.`);
  const ndots = ndotsOf({ nameservers: [], searches: rc.searches, options: rc.options });
  const list = dots >= ndots ? [abs, ...searched] : [...searched, abs];
  return list.filter((x, i) => list.indexOf(x) === i);
}

export function outcomeOf(r: DnsResponse | null, timeout: StepOutcome = 'timeout'): StepOutcome {
  if (!r) return timeout;
  switch (r.rcode) {
    case 'NXDOMAIN': return 'nxdomain';
    case 'SERVFAIL': return 'servfail';
    case 'REFUSED': return 'refused';
    case 'NOERROR': return r.answers.length ? 'answer' : 'nodata';
  }
}

export interface SearchResult {
  readonly steps: readonly SearchStep[];
  /** The winning step, or the one whose failure is reported (NXDOMAIN over NODATA, as glibc). */
  readonly final: SearchStep | null;
}

/**
 * Runs the algorithm with `ask(fqdn)` doing the asking (which server, which transport: the caller
 * decides). Stops at the first answer, or when a server cannot be reached at all.
 */
export function runSearch(name: string, rc: ResolvConf, ask: (fqdn: string) => SearchStep, useSearch = true): SearchResult {
  const steps: SearchStep[] = [];
  for (const c of candidates(name, rc, useSearch)) {
    const s = ask(c);
    steps.push(s);
    if (s.outcome === 'answer') return { steps, final: s };
    // glibc gives up when no server answers at all (the same would happen for every name).
    if (s.outcome === 'timeout' || s.outcome === 'unreachable') return { steps, final: s };
  }
  // glibc reports NODATA when some attempt found the name without records, else the last error.
  const final = steps.find((s) => s.outcome === 'nodata') ?? steps[steps.length - 1] ?? null;
  return { steps, final };
}
