/**
 * The playground page:
 *
 *   ┌ header: title · Cluster/Kernel · status · share · language · theme ───────────────┐
 *   │ editor (YAML)          │ send a packet: from · to · port · protocol · ×N · probes  │
 *   │                        │ [this trace is stale: send it again]                      │
 *   │ problems (errors, warn)│ canvas (React Flow + packets)        [object inspector]   │
 *   │────────────────────────│──────────────────────────────────────────────────────────│
 *   │ terminal (xterm)       │ player ▶ ⏸ ⏮ ⏭ · events │ packet inspector              │
 *   └────────────────────────┴──────────────────────────────────────────────────────────┘
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
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
  // The playground keeps its place in the tree whether the panel shows or not, so opening a
  // lesson does not remount the editor, the terminal or the canvas.
  const withPanel = (playground: ReactNode) => (
    <div className="knp-with-lesson">
      {panel !== 'closed' && <Suspense fallback={<aside className="knp-lesson" />}><LessonPanel /></Suspense>}
      <div className="knp-playground">{playground}</div>
    </div>
  );

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
      <Split id="dock" dir="row" initial={0.5}>
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
      <main className="knp-main">
        {withPanel(<Split id="main" dir="row" initial={0.34} min={0.2} max={0.6}>
          <Split id="left" dir="column" initial={0.62}>
            <div className="knp-editor-col">
              <Editor />
              <Problems />
            </div>
            <Terminal />
          </Split>
          <Split id="right" dir="column" initial={0.64} min={0.3} max={0.85}>
            {stage}
            {dock}
          </Split>
        </Split>)}
      </main>
    </div>
  );
}
