/**
 * The control plane alone: YAML → ClusterModel (load, validate, expand workloads, schedule,
 * allocate, compute endpoints). The playground rebuilds on every keystroke pause, so a big
 * scenario must reconcile well inside a frame budget.
 */
import { readFileSync } from 'node:fs';
import { reconcile } from '../src/engine/control/reconcile';
import { loadScenario } from '../src/engine/scenario/load';
import { createRand } from '../src/engine/util/rand';
import { time, type Bench } from './harness';

function big(nodes: number, apps: number, replicas: number): string {
  const docs = [`apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: big}\nspec:\n  nodes:\n${Array.from({ length: nodes }, (_, i) => `    - {name: node-${i + 1}, ip: 192.168.1.${i + 11}${i === 0 ? ', controlPlane: true' : ''}}`).join('\n')}\n`];
  for (let i = 0; i < apps; i++) {
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app-${i}}\nspec:\n  type: ${i % 3 === 0 ? 'NodePort' : 'ClusterIP'}\n  selector: {app: app-${i}}\n  ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090}]\n`);
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}, {containerPort: 9090}]}]\n`);
  }
  return docs.join('---\n');
}

function reconcileText(text: string): void {
  const { objects, diagnostics } = loadScenario('bench.yaml', text);
  reconcile(objects, createRand(1), diagnostics);
}

export const bench: Bench = () => {
  const dflt = readFileSync(new URL('../content/scenarios/default.yaml', import.meta.url), 'utf8');
  const large = big(20, 100, 5);
  return [
    time('control plane: default scenario', () => reconcileText(dflt), { runs: 30, targetMs: 10 }),
    time('control plane: 20 nodes, 100 Deployments x 5, 100 Services', () => reconcileText(large), { runs: 10, targetMs: 500 }),
  ];
};
