import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectLang, initI18n } from './i18n';
import defaultScenario from '../../content/scenarios/default.yaml?raw';
import { decodeScenario } from './share';
import { createAppStore, StoreContext } from './store';
import { EngineClient } from '../worker/client';
import { workerTransport } from '../worker/transport';
import './styles.css';

const lang = detectLang();
initI18n(lang);
const savedTheme = localStorage.getItem('knp.theme');
const theme = savedTheme === 'dark' || savedTheme === 'light' ? savedTheme : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
document.documentElement.dataset['theme'] = theme;

const client = new EngineClient(workerTransport);
// Test-only: the browser test (test/e2e/safety.test.ts) opens the page with ?knp-test-hooks to
// send a request that keeps the worker busy, the way a runaway one would.
if (new URLSearchParams(location.search).has('knp-test-hooks')) {
  (window as unknown as { knpTest: unknown }).knpTest = { stall: (ms: number) => client.stall(ms) };
}
const shared = location.hash.includes('s=') ? await decodeScenario(location.hash) : null;
const store = createAppStore(client, { yaml: shared ?? defaultScenario, theme, lang });
void store.getState().loadNow();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
