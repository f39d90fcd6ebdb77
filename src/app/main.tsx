import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectLang, initI18n } from './i18n';
import defaultScenario from '../../content/scenarios/default.yaml?raw';
import { decodeScenario } from './share';
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

const client = new EngineClient(workerTransport);
const shared = location.hash.includes('s=') ? await decodeScenario(location.hash) : null;
const store = createAppStore(client, { yaml: shared ?? defaultScenario, theme, lang });
void store.getState().loadNow();
const learn = createLearnStore(client, store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <LearnContext.Provider value={learn}>
        <App />
      </LearnContext.Provider>
    </StoreContext.Provider>
  </StrictMode>,
);
