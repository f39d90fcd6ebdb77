/** What the control plane remembers between rebuilds (src/engine/control/history.ts keeps it). */

export interface Placement {
  readonly node: string;
  readonly ip: string | null;
}

export interface ClusterHistory {
  /** Running Pods by "namespace/name": where they are and the address they hold. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** Pods deleted with `kubectl delete pod` ("namespace/name"): their names are not made again. */
  readonly deleted: ReadonlySet<string>;
  /** Addresses deleted Pods gave back. */
  readonly released: ReadonlySet<string>;
}
