/**
 * The live simulation: the control-plane model plus each machine's network state. Commands
 * and packets read and mutate it; "reset to YAML" is rebuilding it from the scenario text.
 */
import type { ClusterModel } from './model/cluster';
import type { Network } from './net/types';
import type { NetfilterEngine } from './netfilter/hook';
import type { ChainCache } from './netfilter/restore';
import type { Diagnostic } from './scenario/diagnostics';
import type { ScenarioObjects } from './scenario/load';
import type { DnsAnswerer, ProxyApps } from './stack/apps';
import type { ProgramRegistry } from './stack/hooks';
import type { UserspaceRegistry } from './stack/userspace';
import type { NameResolver } from './stack/target';
import type { ClusterHistory } from './model/history';
import type { Rand } from './util/rand';

/**
 * What building a simulation parsed and generated, kept for the next build of the same scenario
 * (rebuildSim after kubectl's edits, buildSim's `previous` after an edit of the YAML): each
 * distinct chain parsed once and shared by the nodes (netfilter/restore.ts ChainCache); the
 * agents keep theirs keyed by this object (kube-proxy's per-Service blocks: agents/kubeproxy/install.ts).
 * Reusing it never changes a result, only what it costs.
 */
export interface SimCaches {
  readonly chains: ChainCache;
}

export interface Sim {
  readonly file: string;
  readonly seed: number;
  model: ClusterModel;
  readonly net: Network;
  readonly diagnostics: readonly Diagnostic[];
  readonly rand: Rand;
  /** The netfilter implementation the walk calls at each hook (acceptAll until rules are loaded). */
  readonly netfilter: NetfilterEngine;
  /** The user-space proxies listening sockets run, by role (src/engine/stack/apps.ts). */
  readonly apps: ProxyApps;
  /**
   * The programs devices and sockets may have attached (`Link.progs`, `NetNs.sockProgs`), by
   * name; the running CNI plugin registers its own (src/engine/stack/hooks.ts). Absent = none.
   */
  programs?: ProgramRegistry;
  /**
   * The user-space tunnel processes that hold devices (`Link.tun`, `Link.packetSocket`), by
   * name; the running CNI plugin registers its own (src/engine/stack/userspace.ts). Absent = none.
   */
  userspace?: UserspaceRegistry;
  /**
   * What a DNS listener answers (CoreDNS for a Pod, the scenario's upstream resolver for a host):
   * agents/coredns registers it (buildSim). Without one a DNS socket answers nothing.
   */
  readonly dns?: DnsAnswerer;
  /**
   * The stub resolver a walk to a name calls (clients/dns/resolve.ts, registered by buildSim):
   * the stack sends its queries as packets but never imports it. Without one names do not resolve.
   */
  readonly resolver?: NameResolver;
  /** Simulated time in milliseconds; moves only when the engine is stepped. */
  now: number;
  /**
   * The scenario's objects as loaded (buildSim keeps them): kubectl's state changes (scale) edit
   * them and rebuild the model, network and rules from them (rebuildSim).
   */
  objects?: ScenarioObjects;
  /** Parsed rulesets and generated rules reused by the next build (see SimCaches). */
  caches?: SimCaches;
  /** What the control plane remembers across those rebuilds (where Pods run, which were deleted). */
  history?: ClusterHistory;
  /**
   * After a rebuild that kept running Pods in place (rebuildSim, buildSim with `previous`): the
   * nodes whose Pods changed (one started or went away); the others' Pods and devices are as they
   * were. Absent after a cold build: every node is new.
   */
  changedNodes?: ReadonlySet<string>;
  /** Files written in the terminal (`cat > FILE <<EOF`), by "TARGET:PATH"; `cat` and `kubectl apply -f` read them. */
  userFiles?: Map<string, string>;
  /** What applications printed, by "pod/NS/NAME/CONTAINER" (nginx access lines, CoreDNS `log`): `kubectl logs`. */
  appLog?: Map<string, string[]>;
}
