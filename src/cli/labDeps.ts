/**
 * The lab's optional engine parts, loaded when present: the netfilter module's `iptablesSave`
 * (src/engine/netfilter/restore.ts) prints each namespace's ruleset for iptables-restore.
 * Loaded by path so the CLI builds and runs before that module exists in a checkout.
 */
import type { NetNs } from '../engine/net/types';

export type IptablesSave = (ns: NetNs) => string | null;

export async function netfilterForLab(): Promise<IptablesSave | null> {
  const url = new URL('../engine/netfilter/restore.ts', import.meta.url).href;
  try {
    const mod = (await import(/* @vite-ignore */ url)) as { iptablesSave?: (ns: NetNs) => string };
    if (typeof mod.iptablesSave !== 'function') return null;
    const save = mod.iptablesSave;
    return (ns) => {
      const text = save(ns);
      return text && text.trim() ? text : null;
    };
  } catch (e) {
    // Absent module: no rulesets to export. Any other failure is a real bug: let it surface.
    const msg = String((e as Error)?.message ?? e);
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/i.test(msg)) return null;
    throw e;
  }
}
