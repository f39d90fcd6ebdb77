/**
 * The kernel tier's corpus: every lesson scenario with Probe objects (content/scenarios), the
 * hand-written pure-Linux scenarios (test/kernel/corpus), and the generated grid (grid.ts).
 *
 * Each entry states which engine areas it needs; an entry whose areas have not all landed in
 * main is pending: it is listed in docs/linux-fidelity.md (the table is generated from this
 * file and a test keeps the two equal), and it does not run. Nothing is ever skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/engine/scenario/load';
import { buildSim } from '../../src/engine/index';
import { CNI_PLUGINS } from '../../src/engine/cni/registry';
import { planLab } from '../../src/engine/lab/plan';
import { DEVIATIONS } from './deviations';
import { grid, LANDED, ready, type Area } from './grid';

export interface CorpusEntry {
  readonly name: string;
  readonly yaml: string;
  readonly needs: readonly Area[];
  readonly probes: readonly string[];
  /** Needs IPVS (kube-proxy IPVS mode, a plugin's IPVS proxy): compared only inside the simulator (this kernel has no IPVS). */
  readonly ipvs: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** The areas a scenario needs, read from what it contains. */
export function needsOf(yaml: string): Area[] {
  const { objects } = loadScenario('corpus.yaml', yaml);
  const needs = new Set<Area>(['control-plane', 'net-build', 'stack']);
  const hasCluster = objects.cluster !== undefined || objects.pods.length + objects.deployments.length + objects.services.length > 0;
  if (hasCluster) {
    needs.add('netfilter');
    needs.add('kube-proxy');
    needs.add('cni-masq');
  }
  if (objects.containers.length > 0) needs.add('netfilter');
  const plugin = objects.cluster?.obj.spec.network.plugin ?? 'flannel';
  if (objects.networkPolicies.length > 0 && (plugin === 'calico' || plugin === 'canal')) needs.add('network-policy');
  if (hasCluster && (plugin === 'calico' || plugin === 'canal')) needs.add('ci-ipset');
  // weave-npc's rules match ipsets too; fastdp is rebuilt by the lab (lab-weave, grid.ts).
  if (hasCluster && plugin === 'weave') { needs.add('ci-ipset'); needs.add('lab-weave'); }
  // A Pod reaching a Service goes through its gateway, the weave bridge (weave-host-path, grid.ts).
  if (hasCluster && plugin === 'weave' && objects.services.length > 0) needs.add('weave-host-path');
  // Cilium's datapath is BPF programs: this kernel cannot load eBPF, so its cells stay pending.
  if (hasCluster && plugin === 'cilium') needs.add('ebpf');
  const podSpecs = [...objects.pods.map((p) => p.obj.spec), ...objects.deployments.map((d) => d.obj.spec.template.spec)];
  if (podSpecs.some((s) => s?.containers.some((c) => c.ports?.some((cp) => cp.hostPort !== undefined)))) needs.add('cni-portmap');
  return [...needs].sort();
}

function probesOf(yaml: string): string[] {
  return loadScenario('corpus.yaml', yaml).objects.probes.map((p) => p.obj.metadata.name ?? '?');
}

/**
 * Whether the lab needs IPVS: kube-proxy in IPVS mode, or a network plugin's own IPVS service
 * proxy (kube-router) that a probe goes through (the lab plan decides, from the probes' addresses).
 */
function isIpvs(yaml: string): boolean {
  const spec = loadScenario('corpus.yaml', yaml).objects.cluster?.obj.spec;
  if (spec?.kubeProxy.mode === 'ipvs') return true;
  if (!spec || !CNI_PLUGINS[spec.network.plugin].installServiceProxy) return false;
  return planLab(buildSim(yaml, { file: 'corpus.yaml' }).sim).input.requires?.includes('ipvs') ?? false;
}

function filesIn(dir: string): { name: string; yaml: string }[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ name: `${dir}/${f}`, yaml: readFileSync(join(abs, f), 'utf8') }));
}

export function corpus(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const f of [...filesIn('content/scenarios'), ...filesIn('test/kernel/corpus')]) {
    const probes = probesOf(f.yaml);
    if (probes.length === 0) continue;
    out.push({ name: f.name, yaml: f.yaml, needs: needsOf(f.yaml), probes, ipvs: isIpvs(f.yaml) });
  }
  for (const c of grid()) out.push({ name: c.name, yaml: c.yaml, needs: c.needs, probes: probesOf(c.yaml), ipvs: isIpvs(c.yaml) });
  return out;
}

export const isReady = (e: CorpusEntry): boolean => ready(e.needs);

/** The kernel-tier section of docs/linux-fidelity.md, generated from the corpus and LANDED. */
export function fidelitySection(entries: readonly CorpusEntry[]): string {
  const lines: string[] = [];
  lines.push('### Proven equal (simulator = kernel, every run of `test/kernel/corpus.test.ts`)', '');
  const proven = entries.filter((e) => isReady(e) && !e.ipvs);
  if (proven.length === 0) lines.push('None yet: every corpus scenario waits for an engine area (see the pending table).');
  else {
    lines.push('Verdict, responder, seen source address and conntrack entries, probe by probe, except where a known deviation is named.', '');
    lines.push('| scenario | probes | known deviations |', '| --- | --- | --- |');
    for (const e of proven) {
      const devs = DEVIATIONS.filter((d) => d.scenarios.test(e.name) && d.probes.some((p) => e.probes.includes(p)));
      const which = devs.map((d) => `${d.id} (${d.probes.filter((p) => e.probes.includes(p)).join(', ')}: ${d.aspects.join(', ')})`);
      lines.push(`| ${e.name} | ${e.probes.join(', ')} | ${which.join('; ')} |`);
    }
  }
  lines.push('', '### Known deviations (found by the tier; `test/kernel/deviations.ts`)', '');
  if (DEVIATIONS.length === 0) lines.push('None.');
  else {
    lines.push('| deviation | what Linux does | area to fix |', '| --- | --- | --- |');
    for (const d of DEVIATIONS) lines.push(`| ${d.id} | ${d.kernel} | ${d.owner} |`);
  }
  lines.push('', '### Compared only inside the simulator (kube-proxy IPVS mode: this kernel has no IPVS)', '');
  const ipvs = entries.filter((e) => e.ipvs);
  if (ipvs.length === 0) lines.push('None in the corpus.');
  else {
    lines.push('| scenario | probes | waits for |', '| --- | --- | --- |');
    for (const e of ipvs) lines.push(`| ${e.name} | ${e.probes.join(', ')} | ${e.needs.filter((a) => !LANDED.has(a)).join(', ')} |`);
  }
  lines.push('', '### Pending (waits for an engine area in main, or for a tool where the tier runs)', '');
  const pending = entries.filter((e) => !isReady(e) && !e.ipvs);
  if (pending.length === 0) lines.push('None.');
  else {
    lines.push('| scenario | probes | waits for |', '| --- | --- | --- |');
    for (const e of pending) lines.push(`| ${e.name} | ${e.probes.join(', ')} | ${e.needs.filter((a) => !LANDED.has(a)).join(', ')} |`);
  }
  return lines.join('\n');
}

export const FIDELITY_DOC = join(ROOT, 'docs', 'linux-fidelity.md');
export const BEGIN = '<!-- kernel-tier:begin (generated by test/kernel/corpus.ts; UPDATE_FIDELITY=1 npx vitest run test/kernel/corpus.test.ts) -->';
export const END = '<!-- kernel-tier:end -->';
