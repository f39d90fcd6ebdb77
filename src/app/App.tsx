/**
 * The playground page:
 *
 *   ┌ header: title · Cluster/Kernel · learn · status · tools · language · theme ───────────┐
 *   │ editor (YAML)          │ send a packet: from · to · port · protocol · ×N · probes  │
 *   │                        │ [this trace is stale: send it again]                      │
 *   │ problems (errors, warn)│ canvas (React Flow + packets)        [object inspector]   │
 *   │────────────────────────│──────────────────────────────────────────────────────────│
 *   │ terminal (xterm)       │ player ▶ ⏸ ⏮ ⏭ · story/events │ packet inspector          │
 *   └────────────────────────┴──────────────────────────────────────────────────────────┘
 *
 * With a lesson or challenge open, the lesson docks in the editor's column, above the editor
 * (a lesson opens with the editor folded to its bar, so its text has the column), and that column widens, so at 1280×720 the learner reads the step,
 * types in a terminal about 500 px wide and follows the story, all at once:
 *
 *   │ lesson: text, steps, next │ send · canvas                         │
 *   │ ▸ YAML (folds)            │                                       │
 *   │───────────────────────────│───────────────────────────────────────│
 *   │ terminal                  │ player · story │ packet               │
 *
 * The tree is the same in both layouts (the Splits change ids and ratios, never parents), so
 * opening a lesson does not remount the editor, the terminal or the canvas.
 */
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Attention } from './learn/Attention';
import { useLearn } from './learn/store';
import { Canvas } from './canvas/Canvas';
import { Editor } from './editor/Editor';
import { Problems } from './editor/Problems';
import { Header } from './Header';
import { EventList } from './inspect/EventList';
import { ObjectInspector } from './inspect/ObjectInspector';
import { PacketInspector } from './inspect/PacketInspector';
import { SendPacket } from './inspect/SendPacket';
import { Player } from './motion/Player';
import { StaleTrace } from './motion/StaleTrace';
import { Notice } from './Notice';
import { select, useApp } from './store';
import { Terminal } from './terminal/Terminal';
import { Split } from './ui/Split';
import i18next from 'i18next';
import { ShareBanners } from './sharing/Banners';

// The lesson panel and the gallery (markdown-it, the bundled course) load on first use.
const LessonPanel = lazy(() => import('./learn/LessonPanel'));
const Gallery = lazy(() => import('./learn/Gallery'));

export interface EmbedOptions {
  /** Show the editor (and terminal) too. */
  readonly edit: boolean;
}

/** `embed`: a minimal view for iframes: canvas, playback and events, no editor unless `edit`. */
export function App({ embed = null }: { embed?: EmbedOptions | null }) {
  const theme = useApp(select.theme);
  const lang = useApp(select.lang);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    localStorage.setItem('knp.theme', theme);
  }, [theme]);
  useEffect(() => {
    void i18next.changeLanguage(lang);
    document.documentElement.lang = lang;
    localStorage.setItem('knp.lang', lang);
  }, [lang]);

  const panel = useLearn((s) => s.panel);
  const gallery = useLearn((s) => s.gallery);
  const learning = panel !== 'closed';

  const stage = (
    <div className="knp-stage">
      <SendPacket />
      <StaleTrace />
      <div className="knp-stage-canvas">
        <Canvas />
        <ObjectInspector />
      </div>
    </div>
  );
  const dock = (
    <div className="knp-dock">
      <Player />
      <Split id="dock" dir="row" initial={0.62}>
        <EventList />
        <PacketInspector />
      </Split>
    </div>
  );

  if (embed) {
    return (
      <div className="knp-app knp-embed" data-embed={embed.edit ? 'edit' : 'view'}>
        <ShareBanners />
        <Notice />
        <main className="knp-main">
          {embed.edit ? (
            <Split id="embed-main" dir="row" initial={0.34} min={0.2} max={0.6}>
              <Editor />
              <Split id="embed-right" dir="column" initial={0.64} min={0.3} max={0.85}>{stage}{dock}</Split>
            </Split>
          ) : (
            <Split id="embed-right" dir="column" initial={0.64} min={0.3} max={0.85}>{stage}{dock}</Split>
          )}
        </main>
      </div>
    );
  }

  return (
    <div className="knp-app">
      <Header />
      <ShareBanners />
      <Notice />
      <Attention />
      {gallery && <Suspense fallback={null}><Gallery /></Suspense>}
      <main className="knp-main" data-layout={learning ? 'lesson' : 'playground'}>
        <Split id={learning ? 'main-lesson' : 'main'} dir="row" initial={learning ? 0.41 : 0.34} min={0.2} max={0.6}>
          <Split id={learning ? 'left-lesson' : 'left'} dir="column" initial={learning ? 0.66 : 0.62}>
            <LessonDock />
            <Terminal />
          </Split>
          <Split id={learning ? 'right-lesson' : 'right'} dir="column" initial={0.5} min={0.3} max={0.85}>
            {stage}
            {dock}
          </Split>
        </Split>
      </main>
    </div>
  );
}

/** The editor column's top: the lesson panel (while one is open) over the editor and its problems. */
function LessonDock() {
  const { t } = useTranslation();
  const panel = useLearn((s) => s.panel);
  const folded = useLearn((s) => s.editorFolded);
  const fold = useLearn((s) => s.foldEditor);
  const problems = useApp(select.problemCount);
  const learning = panel !== 'closed';
  // A challenge is solved in the editor, so it gets the larger share there; a lesson's text gets it otherwise.
  const editorCol = (
    <div className="knp-editor-col" data-folded={learning && folded ? 'true' : 'false'}>
      {learning && (
        <button
          type="button" className="knp-editor-bar" data-testid="editor-fold" aria-expanded={!folded}
          title={folded ? t('layout.showEditor') : t('layout.hideEditor')} onClick={() => fold(!folded)}
        >
          <span aria-hidden>{folded ? '▸' : '▾'}</span>
          <span className="knp-panel-title">{t('layout.yaml')}</span>
          {problems > 0 && <span className="knp-badge warn">{problems}</span>}
        </button>
      )}
      <Editor />
      <Problems />
    </div>
  );
  return (
    <Split id={panel === 'challenge' ? 'challenge-editor' : 'lesson-editor'} dir="column" initial={panel === 'challenge' ? 0.42 : 0.56} min={0.25} max={0.85} only={learning ? undefined : 1} collapsed={learning && folded ? 1 : undefined}>
      {learning ? <Suspense fallback={<aside className="knp-lesson" />}><LessonPanel /></Suspense> : null}
      {editorCol}
    </Split>
  );
}
