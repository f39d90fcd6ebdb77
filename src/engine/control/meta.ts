/**
 * Object metadata the control plane fills in: UIDs, creation order and simulated creation time.
 * Simulated time: the cluster was set up SYSTEM_AGE seconds before the user applied the
 * scenario, and the user applied it USER_AGE seconds before `sim.now` = 0, so `kubectl get`
 * shows AGE 10d for kube-system and 5m for what the learner wrote, deterministically.
 */
import type { Meta } from '../model/cluster';
import type { Origin } from '../scenario/load';
import type { ObjectMeta } from '../scenario/schema/common';
import { objectUid } from './names';

export const SYSTEM_CREATED_AT = 0;
export const USER_CREATED_AT = 10 * 86400;
/** Seconds since cluster start at sim.now = 0: AGE = AGE_BASE + now/1000 - createdAt. */
export const AGE_BASE = USER_CREATED_AT + 300;

/** `extra.createdAt` overrides the creation time (a rebuild keeps an object's, history.ts). */
export function makeMeta(kind: string, m: { name: string; namespace: string; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined }, createdIndex: number, system: boolean, extra: { ownerKind?: string; ownerName?: string; origin?: Origin | undefined; createdAt?: number | undefined } = {}): Meta {
  const meta: { -readonly [K in keyof Meta]: Meta[K] } = {
    name: m.name, namespace: m.namespace,
    uid: objectUid(kind, m.namespace, m.name),
    labels: { ...(m.labels ?? {}) }, annotations: { ...(m.annotations ?? {}) },
    createdIndex, createdAt: extra.createdAt ?? (system ? SYSTEM_CREATED_AT : USER_CREATED_AT),
  };
  // Assigned in this order (not spread in): the JSON of a Meta keeps this key order.
  if (extra.ownerKind) meta.ownerKind = extra.ownerKind;
  if (extra.ownerName) meta.ownerName = extra.ownerName;
  if (extra.origin) meta.origin = extra.origin;
  return meta;
}

export const nsOf = (m: ObjectMeta | undefined): string => m?.namespace ?? 'default';
