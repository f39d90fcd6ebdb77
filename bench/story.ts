/**
 * The story's size (issue #12): how many steps tell one exchange, against the events under them,
 * for the default scenario's Send (DNS, then HTTP to a ClusterIP; same node with seed 1, the
 * other node with seed 3), the NodePort and hostPort scenarios' probes and an Ingress request.
 * Target: the cross-node Pod-to-Service HTTP exchange with DNS in at most 40 steps. The time
 * column is deriving the story from the trace.
 */
import { readFileSync } from 'node:fs';
import { buildSim } from '../src/engine/index';
import { walk, type WalkRequest } from '../src/engine/stack/walk';
import { deriveStory } from '../src/engine/trace/story';
import { ingressYaml } from '../test/unit/ingress/scenario';
import { time, type Bench, type BenchResult } from './harness';

const scenario = (name: string): string => readFileSync(new URL(`../content/scenarios/${name}.yaml`, import.meta.url), 'utf8');


export const STORY_CASES: readonly { name: string; yaml: string; seed: number; req: WalkRequest; target?: number }[] = [
  { name: 'default Send: DNS + HTTP to the ClusterIP, backend on the same node', yaml: scenario('default'), seed: 1, req: { from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' }, target: 40 },
  { name: 'default Send: DNS + HTTP to the ClusterIP, backend on the other node', yaml: scenario('default'), seed: 3, req: { from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' }, target: 40 },
  { name: 'NodePort probe: laptop -> node:30001', yaml: scenario('nodeport'), seed: 1, req: { from: 'host/laptop', to: 'http://192.168.1.11:30001/' } },
  { name: 'hostPort probe: laptop -> node:81', yaml: scenario('hostport'), seed: 1, req: { from: 'host/laptop', to: 'http://192.168.1.12:81/' } },
  { name: 'Ingress: laptop -> ingress-nginx -> backend', yaml: ingressYaml(), seed: 1, req: { from: 'host/laptop', to: 'http://192.168.1.11/abc/x', http: { headers: { Host: 'a.example.com' } } } },
];

export const bench: Bench = () => {
  const out: BenchResult[] = [];
  for (const c of STORY_CASES) {
    const t = walk(buildSim(c.yaml, { seed: c.seed }).sim, c.req);
    const steps = deriveStory(t).length;
    const r = time(`story: ${c.name}`, () => { deriveStory(t); }, { runs: 20 });
    const ok = c.target === undefined ? '' : steps <= c.target ? `, target ≤ ${c.target}: yes` : `, target ≤ ${c.target}: NO`;
    out.push({ ...r, note: `${steps} steps for ${t.events.length} events, ${t.verdict}${ok}` });
  }
  return out;
};
