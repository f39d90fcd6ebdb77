/**
 * What runs at each netfilter hook, in the kernel's priority order: raw −300, conntrack −200,
 * mangle −150, nat (DNAT) −100, filter 0, nat (SNAT) +100, conntrack confirm last. The packet
 * walk follows it (engine.ts); the playground draws the same order. Imports types only, so the
 * page can read it without loading the engine.
 */
import type { Hook } from './hook';
import type { TableName } from './types';

export type Step = TableName | 'conntrack' | 'confirm';

export const HOOK_STEPS: Readonly<Record<Hook, readonly Step[]>> = {
  PREROUTING: ['raw', 'conntrack', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat', 'confirm'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'conntrack', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat', 'confirm'],
};

/** The iptables tables a packet meets at `hook`, in order. */
export function hookTableOrder(hook: Hook): TableName[] {
  return HOOK_STEPS[hook].filter((s): s is TableName => s !== 'conntrack' && s !== 'confirm');
}
