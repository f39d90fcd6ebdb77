import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectLang, initI18n } from './i18n';
import defaultScenario from '../../content/scenarios/default.yaml?raw';
import { SessionContext } from './persist/context';
import { startSession, type Session } from './persist/session';
import { memoryStorage, openStorage } from './persist/storage';
import { createAppStore, StoreContext } from './store';
import { EngineClient } from '../worker/client';
import { workerTransport } from '../worker/transport';
import { createLearnStore, LearnContext } from './learn/store';
import './styles.css';

const lang = detectLang();
initI18n(lang);
const savedTheme = localStorage.getItem('knp.theme');
const theme = savedTheme === 'dark' || savedTheme === 'light' ? savedTheme : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
document.documentElement.dataset['theme'] = theme;

/** `?embed` for iframes in slides and course pages: canvas, playback and events; `&edit=1` adds the editor. */
const params = new URLSearchParams(location.search);
const embed = params.has('embed') ? { edit: params.get('edit') === '1' } : null;
// The watchdog (worker/client.ts) rebuilds a restarted engine from the YAML and the store's
// journal of state-changing terminal lines, so typed changes survive a crash.
// `?knp-watchdog=SECONDS` (the benchmarks, bench/ui.ts) gives every request that budget instead:
// the generated L cluster takes longer to build than a learner's scenario should.
const watchdog = Number(params.get('knp-watchdog'));
const client = new EngineClient(workerTransport, { journal: () => store.getState().journal, ...(watchdog > 0 ? { timeoutMs: watchdog * 1000 } : {}) });
// Test-only: the browser test (test/e2e/safety.test.ts) opens the page with ?knp-test-hooks to
// send a request that keeps the worker busy, the way a runaway one would.
if (params.has('knp-test-hooks')) {
  (window as unknown as { knpTest: unknown }).knpTest = { stall: (ms: number) => client.stall(ms) };
}

const store = createAppStore(client, { yaml: '', theme, lang });
const learn = createLearnStore(client, store);
const root = createRoot(document.getElementById('root')!);
const render = (session: Session | null) => root.render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <SessionContext.Provider value={session}>
        <LearnContext.Provider value={learn}>
          <App embed={embed} />
        </LearnContext.Provider>
      </SessionContext.Provider>
    </StoreContext.Provider>
  </StrictMode>,
);
render(null);

const session = await startSession(store, {
  // An embed (slides, course pages) never reads or writes the learner's saved work.
  storage: embed ? memoryStorage() : await openStorage(),
  embedded: embed !== null,
  hash: location.hash,
  defaultYaml: defaultScenario,
  // Links are read once: a reload must show the learner's work since, not the link again.
  clearHash: () => history.replaceState(null, '', `${location.pathname}${location.search}`),
  // A link made with a lesson or challenge open opens it at that step with that progress.
  onLearn: (l) => learn.getState().resume(l),
});
render(session);
addEventListener('pagehide', () => void session.flush());
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') void session.flush(); });
