import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * The production page's Content-Security-Policy, from the one place it is written
 * (public/_headers, which static hosts send as a header): the build also puts it in
 * index.html as a <meta> tag, minus what only a header can say (frame-ancestors). Not in dev:
 * the dev server's hot reload needs an inline script. See docs/robustness.md.
 */
export function contentSecurityPolicy(): string {
  const headers = readFileSync(new URL('./public/_headers', import.meta.url), 'utf8');
  const line = /^\s*Content-Security-Policy:\s*(.+)$/m.exec(headers);
  if (!line) throw new Error('public/_headers has no Content-Security-Policy line');
  return line[1]!.trim();
}

function cspMeta(): Plugin {
  return {
    name: 'knp-csp-meta',
    apply: 'build',
    transformIndexHtml() {
      const policy = contentSecurityPolicy().split(';').map((d) => d.trim()).filter((d) => d && !d.startsWith('frame-ancestors')).join('; ');
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }];
    },
  };
}

const monacoEsm = fileURLToPath(new URL('./node_modules/monaco-editor/esm/', import.meta.url));

export default defineConfig({
  plugins: [react(), cspMeta()],
  base: './',
  // monaco-worker-manager (inside monaco-yaml's worker) imports monaco's old deep path
  // "monaco-editor/esm/…", which monaco's package exports no longer allow: map it to the files.
  resolve: { alias: [{ find: /^monaco-editor\/esm\/(.*)$/, replacement: `${monacoEsm}$1` }] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
  },
});
