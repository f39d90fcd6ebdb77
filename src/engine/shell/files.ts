/**
 * The files a learner can `cat` in a target: /etc/hosts, /etc/resolv.conf, /run/flannel/subnet.env,
 * /proc/sys/... Each area contributes a provider from its own file and lists it here; a provider
 * returns the file's text for the target, or null when it does not know the path.
 */
import { fail, ok, type Command, type ShellContext } from './types';
import { cniOf } from '../cni/registry';
import { procSysFiles } from './sysctl';
import { k8sFileProvider } from './k8sfiles';
import { resolvConfProvider } from './dns';
import { readUserFile } from './heredoc';

export type FileProvider = (ctx: ShellContext, path: string) => string | null;

/** A file the network plugin writes on a node (its CNI conflist, flannel's /run/flannel/subnet.env). */
function cniFile(ctx: ShellContext, path: string): string | null {
  const t = ctx.target;
  if (t.kind !== 'node') return null;
  const node = ctx.sim.model.nodes.find((n) => n.name === t.name);
  if (!node) return null;
  const plugin = cniOf(ctx.sim.model.spec);
  if (path === `/etc/cni/net.d/${plugin.conflistFile}`) return `${JSON.stringify(plugin.conflist(ctx.sim.model, node), null, 2)}\n`;
  return plugin.nodeFile(ctx.sim.model, node, path);
}

const providers: FileProvider[] = [
  (ctx, path) => readUserFile(ctx.sim, ctx.target, path),
  cniFile,
  (ctx, path) => procSysFiles(ctx, path),
  k8sFileProvider,
  resolvConfProvider,
];

export function readSimFile(ctx: ShellContext, path: string): string | null {
  for (const p of providers) {
    const text = p(ctx, path);
    if (text !== null) return text;
  }
  return null;
}

export const fileCommands: Record<string, Command> = {
  cat: (ctx, argv) => {
    const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
    if (paths.length === 0) return ok(ctx.stdin ?? '');
    let out = '';
    let err = '';
    for (const p of paths) {
      const t = readSimFile(ctx, p);
      if (t === null) err += `cat: ${p}: No such file or directory\n`;
      else out += t;
    }
    return err ? fail(err, 1, out) : ok(out);
  },
};
