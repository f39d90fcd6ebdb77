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
import { configureMonacoYaml, type MonacoYamlOptions } from 'monaco-yaml';
import type { ExplainLang } from './explain';
import { scenarioSchema } from './schema';
import { arrange, documentIsEmpty } from './completion';
import { defaultSnippets } from './snippets';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

export const SCENARIO_URI = 'file:///scenario.yaml';
// Shown as the source of schema markers ("yaml-schema: knp:scenario"); never fetched.
const SCHEMA_URI = 'knp:scenario';

// monaco-yaml still creates its worker with the pre-0.5x options ({label, moduleId, createData});
// today's monaco wants a Worker. Same handshake monaco's own language workers use: a first
// message to start the worker, then the createData.
type LegacyWorkerOptions = { createData?: unknown; host?: Record<string, (...a: unknown[]) => unknown>; keepIdleModels?: boolean; worker?: Worker };
type Provider = Parameters<typeof monaco.languages.registerCompletionItemProvider>[1];
/** monaco-yaml's completion, tidied (./completion.ts): each key once, snippets first in an empty document. */
const tidy = (provider: Provider): Provider => ({
  ...provider,
  async provideCompletionItems(model, position, context, token) {
    const r = await provider.provideCompletionItems(model, position, context, token);
    if (!r) return r;
    const suggestions = arrange(r.suggestions, { emptyDoc: documentIsEmpty(model.getValue(), position.lineNumber), snippets: defaultSnippets(current).map((x) => String(x['label'])) });
    return { ...r, suggestions };
  },
});
const yamlMonaco = {
  ...monaco,
  languages: {
    ...monaco.languages,
    registerCompletionItemProvider: (language: string, provider: Provider) => monaco.languages.registerCompletionItemProvider(language, tidy(provider)),
  },
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

const options = (lang: ExplainLang): MonacoYamlOptions => ({
  enableSchemaRequest: false,
  hover: true,
  hoverSchemaSource: false,
  completion: true,
  // Schema validation marks what upstream's types say (a misspelt field, a value outside an
  // enum) under the owner 'yaml'; the engine's diagnostics stay alongside under 'knp', with
  // their codes and fix hints.
  validate: true,
  format: {},
  isKubernetes: true,
  schemas: [{ uri: SCHEMA_URI, fileMatch: ['**/scenario.yaml'], schema: scenarioSchema(lang) as never }],
});

let current: ExplainLang = 'en';
const yaml = configureMonacoYaml(yamlMonaco as never, options(current));

/** Hover and completion follow the UI language: the explanations are swapped in place. */
export function setSchemaLanguage(lang: ExplainLang): void {
  if (lang === current) return;
  current = lang;
  void yaml.update(options(lang));
}

export { monaco };
