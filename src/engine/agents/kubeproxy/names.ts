/**
 * kube-proxy's chain names. Chain names are limited to 28 characters, so kube-proxy hashes the
 * service port name and protocol (and, for KUBE-SEP-, the endpoint "ip:port") with SHA-256,
 * encodes the digest in base32 and keeps the first 16 characters:
 *
 *   "default/kubernetes:https" + "tcp"  →  KUBE-SVC-NPX46M4PTMTKRN6Y
 *
 * The same hash names the KUBE-SVL- (Local policy), KUBE-EXT- (external destinations) and
 * KUBE-FW- (loadBalancerSourceRanges) chains of that service port.
 */
import { base32, sha256 } from '../../util/sha256';

function hash16(s: string): string {
  return base32(sha256(s)).slice(0, 16);
}

/** Every name derived from one service port, computed once (kube-proxy keeps them in servicePortInfo). */
export interface PortNames {
  readonly svc: string;
  readonly svl: string;
  readonly ext: string;
  readonly fw: string;
  /** KUBE-SEP- names by endpoint "ip:port". */
  readonly sep: Map<string, string>;
}

/** By protocol, then service port name: two lookups on flat strings, no key concatenation. */
const byProtocol = new Map<string, Map<string, PortNames>>();
let cached = 0;

function portNames(spn: string, protocol: string): PortNames {
  let m = byProtocol.get(protocol);
  if (!m) {
    m = new Map();
    byProtocol.set(protocol, m);
  }
  let n = m.get(spn);
  if (!n) {
    if (++cached > 100_000) {
      byProtocol.clear();
      cached = 0;
      return portNames(spn, protocol);
    }
    const h = hash16(spn + protocol);
    n = { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}`, sep: new Map() };
    m.set(spn, n);
  }
  return n;
}

/** ServicePortName.String(): "ns/name" plus ":port" when the port is named. */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port ? `${namespace}/${name}:${port}` : `${namespace}/${name}`;
}

/** Lower-case protocol, as kube-proxy feeds it to the hash and to `-p`/`-m`. */
export const proto = (p: string): string => p.toLowerCase();

export const svcChain = (spn: string, protocol: string): string => portNames(spn, protocol).svc;
export const svlChain = (spn: string, protocol: string): string => portNames(spn, protocol).svl;
export const extChain = (spn: string, protocol: string): string => portNames(spn, protocol).ext;
export const fwChain = (spn: string, protocol: string): string => portNames(spn, protocol).fw;
export function sepChain(spn: string, protocol: string, endpoint: string): string {
  return sepOf(portNames(spn, protocol), spn, protocol, endpoint);
}

/** All chain names of one service port, for callers naming many of its chains in a row. */
export const chainNames = (spn: string, protocol: string): PortNames => portNames(spn, protocol);

/** KUBE-SEP- name of `endpoint` given the port's names from chainNames (one map lookup). */
export function sepOf(n: PortNames, spn: string, protocol: string, endpoint: string): string {
  let name = n.sep.get(endpoint);
  if (name === undefined) {
    name = `KUBE-SEP-${hash16(spn + protocol + endpoint)}`;
    n.sep.set(endpoint, name);
  }
  return name;
}

/**
 * The `-m statistic --probability` argument for "pick this one of the n remaining endpoints":
 * Go's fmt.Sprintf("%0.10f", 1.0/n). JS toFixed rounds exact ties upward where Go rounds
 * half to even; among 1/n the only tie at 10 digits is 1/2048 (0.00048828125).
 *
 * Note: this is what kube-proxy *writes*. The kernel stores the probability as a 31-bit
 * fraction and `iptables-save` prints it back with 11 digits (0.3333333333 → 0.33333333349);
 * see `savedProbability`.
 */
const probabilities: string[] = [];

export function probability(n: number): string {
  let p = probabilities[n];
  if (p === undefined) {
    p = n === 2048 ? '0.0004882812' : (1 / n).toFixed(10);
    if (n < 10_000) probabilities[n] = p;
  }
  return p;
}

/**
 * How `iptables-save` prints a probability that was loaded as `p`: libxt_statistic stores
 * lround(p * 2^31) and prints value / 2^31 with "%.11f". For the netfilter engine's save.
 */
export function savedProbability(p: number): string {
  const stored = Math.round(p * 0x80000000);
  return (stored / 0x80000000).toFixed(11);
}
