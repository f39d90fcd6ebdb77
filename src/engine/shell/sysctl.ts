/**
 * `sysctl` over a namespace's kernel parameters, and the /proc/sys files behind them.
 * Per-device keys (net.ipv4.conf.DEV.*) exist for every link of the namespace, plus "all" and
 * "default"; proxy_arp reads and writes the link's flag (Calico's cali* ends have it on).
 * net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one switch, as in the kernel.
 */
import { linkByName, nsForTarget } from '../net/lookup';
import { touch } from '../net/mutate';
import type { NetNs } from '../net/types';
import type { FileProvider } from './files';
import { fail, ok, type Command } from './types';

const PER_DEVICE = ['forwarding', 'proxy_arp', 'rp_filter', 'accept_local', 'route_localnet', 'send_redirects'] as const;

/** Every key the namespace exposes, with its value. */
export function sysctlView(ns: NetNs): Map<string, string> {
  const out = new Map<string, string>(Object.entries(ns.sysctl));
  const fwd = ns.sysctl['net.ipv4.ip_forward'] ?? '0';
  for (const dev of ['all', 'default', ...ns.links.map((l) => l.name)]) {
    const link = linkByName(ns, dev);
    for (const k of PER_DEVICE) {
      const key = `net.ipv4.conf.${dev}.${k}`;
      if (out.has(key)) continue;
      let v = '0';
      if (k === 'forwarding') v = fwd;
      else if (k === 'proxy_arp') v = link?.proxyArp ? '1' : '0';
      else if (k === 'send_redirects') v = '1';
      else if (k === 'rp_filter') v = ns.sysctl['net.ipv4.conf.all.rp_filter'] ?? '0';
      out.set(key, v);
    }
  }
  return out;
}

/** Writes one key; returns false when the key does not exist. */
export function sysctlWrite(ns: NetNs, key: string, value: string): boolean {
  const view = sysctlView(ns);
  if (!view.has(key)) return false;
  ns.sysctl[key] = value;
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    ns.sysctl['net.ipv4.ip_forward'] = value;
    ns.sysctl['net.ipv4.conf.all.forwarding'] = value;
    // Writing the global switch sets every device's forwarding too (devinet_forward_sysctl).
    for (const k of Object.keys(ns.sysctl)) if (/^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(k)) ns.sysctl[k] = value;
  }
  const m = /^net\.ipv4\.conf\.([^.]+)\.proxy_arp$/.exec(key);
  const link = m ? linkByName(ns, m[1]!) : undefined;
  if (link) link.proxyArp = value.trim() === '1';
  return true;
}

const norm = (k: string): string => k.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
const notFound = (k: string): string => `sysctl: cannot stat /proc/sys/${k.replace(/\./g, '/')}: No such file or directory\n`;

export const sysctlCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('sysctl: no kernel here: give a node, pod or host target\n', 1);
  let write = false;
  let valueOnly = false;
  let all = false;
  let quiet = false;
  const items: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && items.length === 0) {
      for (const f of a.slice(1)) {
        if (f === 'w') write = true;
        else if (f === 'n') valueOnly = true;
        else if (f === 'a' || f === 'A' || f === 'X') all = true;
        else if (f === 'q') quiet = true;
        else if (f === 'e') continue;
        else return fail(`sysctl: invalid option -- '${f}'\n`, 255);
      }
    } else items.push(a);
  }
  const view = sysctlView(ns);
  const line = (k: string, v: string): string => (valueOnly ? `${v}\n` : `${k} = ${v}\n`);
  if (all || items.length === 0) {
    if (!all) return fail('sysctl: no variables specified\nTry `sysctl --help\' for more information.\n', 255);
    return ok([...view.keys()].sort().map((k) => line(k, view.get(k)!)).join(''));
  }
  let out = '';
  let err = '';
  let didChange = false;
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq >= 0 || write) {
      if (eq < 0) { err += `sysctl: "${item}" must be of the form name=value\n`; continue; }
      const key = norm(item.slice(0, eq).trim());
      const value = item.slice(eq + 1).trim();
      if (!sysctlWrite(ns, key, value)) { err += notFound(key); continue; }
      didChange = true;
      if (!quiet) out += line(key, value);
    } else {
      const key = norm(item);
      const v = view.get(key);
      if (v === undefined) { err += notFound(key); continue; }
      out += line(key, v);
    }
  }
  if (didChange) touch(ctx.sim.net);
  return { stdout: out, stderr: err, exitCode: err ? 255 : 0, ...(didChange ? { changed: true } : {}) };
};

/** /proc/sys/... for `cat`. */
export const procSysFiles: FileProvider = (ctx, path) => {
  if (!path.startsWith('/proc/sys/')) return null;
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return null;
  const v = sysctlView(ns).get(norm(path));
  return v === undefined ? null : `${v}\n`;
};

export const sysctlCommands: Record<string, Command> = { sysctl: sysctlCommand };
