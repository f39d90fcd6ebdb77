/**
 * `knp cost`'s numbers (agents/kubeproxy/cost.ts), counted on the rules the writers produce:
 * iptables' cost per new connection grows with the Services, IPVS and nftables stay flat; the
 * curve's straight line agrees with a cluster generated far out on it; the CLI prints both
 * languages and the JSON contract.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { curveShape, modeCosts, proxyCost, syntheticModel, type CostReport, type ModeCost } from '../../../src/engine/agents/kubeproxy/cost';
import { runKnp } from '../../helpers/cli';

const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const { sim } = buildSim(yaml);
const report = proxyCost(sim.model) as CostReport;
const of = (modes: readonly ModeCost[], mode: string): ModeCost => modes.find((m) => m.mode === mode)!;
const series = (mode: string, pick: (m: ModeCost) => number): number[] => report.curve.map((p) => pick(of(p.modes, mode)));

describe('kube-proxy cost', () => {
  it('describes the scenario: its Services, its mode, every mode counted', () => {
    expect(report.mode).toBe('iptables');
    expect(report.services).toBeGreaterThanOrEqual(3);
    expect(report.current.map((m) => m.mode)).toEqual(['iptables', 'ipvs', 'nftables']);
    for (const m of report.current) {
      expect(m.rules).toBeGreaterThan(0);
      expect(m.bytes).toBeGreaterThan(0);
      expect(m.newConnection.worst).toBeGreaterThanOrEqual(m.newConnection.mean);
    }
    expect(report.curve.map((p) => p.services)).toEqual([10, 30, 100, 300, 1000, 3000, 10000]);
  });

  it('iptables: a new connection checks rules in proportion to the Services', () => {
    const mean = series('iptables', (m) => m.newConnection.mean);
    for (let i = 1; i < mean.length; i++) expect(mean[i]!).toBeGreaterThan(mean[i - 1]!);
    // Linear: 9,000 more Services cost about ten times what 900 more do.
    const [, , a, , b, , c] = mean as [number, number, number, number, number, number, number];
    expect((c - b) / (b - a)).toBeCloseTo(10, 0);
    expect(mean[6]!).toBeGreaterThan(1000);
  });

  it('IPVS and nftables: the cost of a new connection stays flat however many Services', () => {
    for (const mode of ['ipvs', 'nftables']) {
      const mean = series(mode, (m) => m.newConnection.mean);
      expect(Math.max(...mean) - Math.min(...mean)).toBeLessThanOrEqual(1);
      expect(Math.max(...mean)).toBeLessThan(15);
    }
  });

  it('one Service change rewrites KUBE-SERVICES in iptables, only that Service in IPVS and nftables', () => {
    const ipt = series('iptables', (m) => m.serviceChange);
    expect(ipt[6]!).toBeGreaterThan(ipt[2]! * 50);
    for (const mode of ['ipvs', 'nftables']) {
      const s = series(mode, (m) => m.serviceChange);
      expect(Math.max(...s) - Math.min(...s)).toBeLessThan(2);
    }
  });

  it('rule text grows with the Services in every mode', () => {
    for (const mode of ['iptables', 'ipvs', 'nftables']) {
      const b = series(mode, (m) => m.bytes);
      for (let i = 1; i < b.length; i++) expect(b[i]!).toBeGreaterThan(b[i - 1]!);
    }
  });

  it('the curve agrees with a cluster generated at 1,000 Services', () => {
    const node = sim.model.nodes.find((n) => !n.controlPlane)!;
    const shape = curveShape(sim.model);
    const real = modeCosts(syntheticModel(sim.model, 1000, shape.endpoints, shape.nodePortEvery), node);
    const line = report.curve.find((p) => p.services === 1000)!.modes;
    for (const mode of ['ipvs', 'nftables']) expect(of(line, mode).newConnection.mean).toBeCloseTo(of(real, mode).newConnection.mean, 0);
    for (const mode of ['iptables', 'ipvs', 'nftables']) {
      expect(Math.abs(of(line, mode).rules - of(real, mode).rules) / of(real, mode).rules).toBeLessThan(0.02);
      expect(Math.abs(of(line, mode).bytes - of(real, mode).bytes) / of(real, mode).bytes).toBeLessThan(0.05);
    }
    expect(Math.abs(of(line, 'iptables').newConnection.mean - of(real, 'iptables').newConnection.mean) / of(real, 'iptables').newConnection.mean).toBeLessThan(0.02);
  });

  it('knp cost prints the table in English and Chinese, and the JSON contract', async () => {
    const en = await runKnp(['cost', 'scenario.yaml', '--lang', 'en'], { files: { 'scenario.yaml': yaml } });
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('iptables');
    expect(en.stdout).toContain('new connection');
    const zh = await runKnp(['cost', 'scenario.yaml', '--lang', 'zh-CN'], { files: { 'scenario.yaml': yaml } });
    expect(zh.stdout).toContain('新连接');
    const js = await runKnp(['cost', 'scenario.yaml', '--json'], { files: { 'scenario.yaml': yaml } });
    const parsed = JSON.parse(js.stdout) as CostReport;
    expect(Object.keys(parsed)).toEqual(['services', 'servicePorts', 'endpointsPerService', 'mode', 'current', 'curve']);
    expect(Object.keys(parsed.current[0]!)).toEqual(['mode', 'rules', 'chainRules', 'newConnection', 'serviceChange', 'bytes']);
    const bad = await runKnp(['cost', 'scenario.yaml', '--lang', 'fr'], { files: { 'scenario.yaml': yaml } });
    expect(bad.code).toBe(2);
  });
});
