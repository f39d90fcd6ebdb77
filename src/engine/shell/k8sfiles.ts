/**
 * What kubelet writes into a Pod, and what any machine has: `hostname`, `env`/`printenv`,
 * /etc/hostname and /etc/hosts. For a Pod (not hostNetwork) kubelet manages /etc/hosts:
 *
 *   # Kubernetes-managed hosts file.
 *   127.0.0.1	localhost
 *   ...ip6 lines...
 *   10.244.1.3	web-0.web.default.svc.cluster.local	web-0      (FQDN when spec.subdomain is set)
 *
 *   # Entries added by HostAliases.
 *   10.1.2.3	foo.local	bar.local
 *
 * hostNetwork Pods get the node's file under a "(host network)" header.
 */
import type { PodModel } from '../model/cluster';
import type { Sim } from '../sim';
import { fail, ok, type Command, type ShellContext, type Target } from './types';
import { machineHosts, podEtcHosts, podFqdn } from '../stack/hosts';

export { podEtcHosts, podFqdn };

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function podOf(sim: Sim, t: Target): PodModel | undefined {
  return t.kind === 'pod' ? sim.model.pods.find((p) => p.meta.namespace === t.namespace && p.meta.name === t.name) : undefined;
}

export function hostnameOf(sim: Sim, t: Target): string | null {
  switch (t.kind) {
    case 'workstation': return 'workstation';
    case 'node': return sim.model.nodes.some((n) => n.name === t.name) ? t.name : null;
    case 'host': return t.name;
    case 'pod': {
      const p = podOf(sim, t);
      if (!p) return null;
      if (p.spec.setHostnameAsFQDN && !p.hostNetwork) return podFqdn(sim, p) ?? p.hostname;
      return p.hostname;
    }
  }
}

export function k8sFileProvider(ctx: ShellContext, path: string): string | null {
  const t = ctx.target;
  const name = hostnameOf(ctx.sim, t);
  if (name === null) return null;
  if (path === '/etc/hostname') return `${name}\n`;
  if (path === '/etc/hosts') {
    const p = podOf(ctx.sim, t);
    return p ? podEtcHosts(ctx.sim, p) : machineHosts(name);
  }
  return null;
}

/** The process environment `env` prints in a target. */
export function environmentOf(sim: Sim, t: Target): { name: string; value: string }[] | null {
  const host = hostnameOf(sim, t);
  if (host === null) return null;
  const p = podOf(sim, t);
  if (!p) return [{ name: 'SHELL', value: '/bin/bash' }, { name: 'PWD', value: '/root' }, { name: 'LOGNAME', value: 'root' }, { name: 'HOME', value: '/root' }, { name: 'USER', value: 'root' }, { name: 'HOSTNAME', value: host }, { name: 'PATH', value: PATH }];
  const container = (t.kind === 'pod' && t.container ? p.containers.find((c) => c.name === t.container) : undefined) ?? p.containers[0];
  const own = container?.env ?? [];
  const svc = p.serviceEnv ?? p.env.filter((e) => !own.some((o) => o.name === e.name));
  const vars = new Map<string, string>();
  vars.set('PATH', PATH);
  vars.set('HOSTNAME', host);
  for (const e of own) vars.set(e.name, e.value);
  for (const e of svc) if (!own.some((o) => o.name === e.name)) vars.set(e.name, e.value);
  vars.set('HOME', '/root');
  return [...vars].map(([name, value]) => ({ name, value }));
}

const env: Command = (ctx, argv) => {
  const vars = environmentOf(ctx.sim, ctx.target);
  if (!vars) return fail(`${argv[0]}: no such machine\n`, 1);
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (argv[0] === 'printenv' && names.length) {
    const hits = names.map((n) => vars.find((v) => v.name === n)).filter((v) => v !== undefined);
    return { stdout: hits.map((v) => `${v.value}\n`).join(''), stderr: '', exitCode: hits.length === names.length ? 0 : 1 };
  }
  if (argv[0] === 'env' && names.length) {
    // `env CMD ...` runs CMD; VAR=x assignments are not modelled.
    const i = argv.findIndex((a, k) => k > 0 && !a.startsWith('-') && !a.includes('='));
    if (i > 0) return ctx.run(ctx.target, argv.slice(i));
  }
  return ok(vars.map((v) => `${v.name}=${v.value}\n`).join(''));
};

const hostname: Command = (ctx, argv) => {
  const h = hostnameOf(ctx.sim, ctx.target);
  if (h === null) return fail('hostname: no such machine\n', 1);
  const flags = argv.slice(1);
  const p = podOf(ctx.sim, ctx.target);
  if (flags.includes('-i') || flags.includes('-I')) {
    if (p) return ok(`${p.podIP ?? ''}${flags.includes('-I') ? ' ' : ''}\n`);
    const node = ctx.target.kind === 'node' ? ctx.sim.model.nodes.find((n) => n.name === h) : undefined;
    const ext = ctx.target.kind === 'host' ? ctx.sim.model.externalHosts.find((x) => x.name === h) : undefined;
    return ok(`${node?.ip ?? ext?.ip ?? '127.0.1.1'}${flags.includes('-I') ? ' ' : ''}\n`);
  }
  if (flags.includes('-f') || flags.includes('--fqdn')) return ok(`${(p && podFqdn(ctx.sim, p)) ?? h}\n`);
  if (flags.includes('-s') || flags.includes('--short')) return ok(`${h.split('.')[0]}\n`);
  return ok(`${h}\n`);
};

export const k8sCommands: Record<string, Command> = { env, printenv: env, hostname };
