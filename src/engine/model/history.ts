/** What the control plane remembers between rebuilds (src/engine/control/history.ts keeps it). */

export interface Placement {
  readonly node: string;
  readonly ip: string | null;
  /** The Pod's spec as it started (specKey): a Pod whose spec changed is a new Pod, scheduled afresh. */
  readonly spec?: string;
}

export interface ClusterHistory {
  /** Running Pods by "namespace/name": where they are and the address they hold. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** Pods deleted with `kubectl delete pod` ("namespace/name"): their names are not made again. */
  readonly deleted: ReadonlySet<string>;
  /** Addresses deleted Pods gave back. */
  readonly released: ReadonlySet<string>;
  /**
   * When each object that exists was created ("Kind/namespace/name" → seconds since cluster
   * start): it keeps that across rebuilds, while an object that appears in a rebuild (applied
   * with kubectl, or a Pod a controller makes anew) is created at `now` — its AGE starts again
   * and, for a Pod, it gets the Service variables of every Service that exists at that moment.
   */
  readonly born?: ReadonlyMap<string, number>;
  /** The simulated second of the rebuild (ClusterModel.ageBase + sim.now / 1000). */
  readonly now?: number;
}
