/**
 * The simulation's wall clock. The cluster was created at CLUSTER_START (a fixed, plausible
 * date) and `sim.now` = 0 is `ageBase` seconds later, so dig's `WHEN:`, tcpdump's timestamps and
 * docker's "Up 5 minutes" all read one clock, the same on every run. No Date.now: Date is used
 * only to format this fixed number.
 */

/** 2026-11-20 08:00:00 UTC: when the simulated cluster was set up (kube-system's AGE counts from here). */
export const CLUSTER_START_MS = Date.UTC(2026, 10, 20, 8, 0, 0);

/** Seconds between cluster start and sim.now = 0 when the model does not say (k8s/meta's AGE_BASE). */
const DEFAULT_AGE_BASE_S = 10 * 86400 + 300;

/** Milliseconds since the Unix epoch, now, in the simulation. */
export function wallClockMs(sim: { readonly now: number; readonly model: { readonly ageBase?: number } }): number {
  return CLUSTER_START_MS + (sim.model.ageBase ?? DEFAULT_AGE_BASE_S) * 1000 + sim.now;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `date`'s default format in UTC: "Mon Nov 30 08:05:00 UTC 2026" (dig's WHEN: line). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** tcpdump's time of day with microseconds: "08:05:00.000123". */
export function formatTimeOfDay(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(Math.floor(us % 1_000_000)).padStart(6, '0')}`;
}

/** ISO 8601 with nanoseconds, as docker inspect prints times. */
export function formatIso(ms: number): string {
  return `${new Date(ms).toISOString().replace(/\.\d+Z$/, '')}.${String(ms % 1000).padStart(3, '0')}000000Z`;
}
