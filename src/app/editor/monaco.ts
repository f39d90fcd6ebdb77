/**
 * Monaco, bundled (no CDN) and loaded lazily: the editor core with its features, YAML
 * highlighting, and monaco-yaml for schema completion, hover and validation. Workers come
 * from Vite's `?worker` imports so they are emitted as files next to the app.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import YamlWorker from 'monaco-yaml/yaml.worker.js?worker';
import { configureMonacoYaml } from 'monaco-yaml';
import { scenarioSchema } from './schema';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

export const SCENARIO_URI = 'file:///scenario.yaml';

// monaco-yaml still creates its worker with the pre-0.5x options ({label, moduleId, createData});
// today's monaco wants a Worker. Same handshake monaco's own language workers use: a first
// message to start the worker, then the createData.
type LegacyWorkerOptions = { createData?: unknown; host?: Record<string, (...a: unknown[]) => unknown>; keepIdleModels?: boolean; worker?: Worker };
const yamlMonaco = {
  ...monaco,
  editor: {
    ...monaco.editor,
    createWebWorker(opts: LegacyWorkerOptions) {
      if (opts.worker) return monaco.editor.createWebWorker(opts as never);
      const worker = new YamlWorker();
      worker.postMessage('ignore');
      worker.postMessage(opts.createData);
      return monaco.editor.createWebWorker({ worker, ...(opts.host ? { host: opts.host } : {}), ...(opts.keepIdleModels ? { keepIdleModels: true } : {}) } as never);
    },
  },
};

configureMonacoYaml(yamlMonaco as never, {
  enableSchemaRequest: false,
  hover: true,
  completion: true,
  // The engine's diagnostics are the validation (exact codes and fixes); schema checks would
  // only add a second, vaguer opinion. The schema still drives completion and hover.
  validate: false,
  format: {},
  isKubernetes: true,
  schemas: [{ uri: 'https://knp.local/scenario.schema.json', fileMatch: ['**/scenario.yaml'], schema: scenarioSchema() as never }],
});

export { monaco };
