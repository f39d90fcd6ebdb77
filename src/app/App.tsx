/**
 * The playground page:
 *
 *   ┌ header: title · Cluster/Kernel · status · share · language · theme ───────────────┐
 *   │ editor (YAML)          │ send a packet: from · to · port · protocol · ×N · probes  │
 *   │                        │ canvas (React Flow + packets)        [object inspector]   │
 *   │────────────────────────│──────────────────────────────────────────────────────────│
 *   │ terminal (xterm)       │ player ▶ ⏸ ⏮ ⏭ · events │ packet inspector              │
 *   └────────────────────────┴──────────────────────────────────────────────────────────┘
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Attention } from './learn/Attention';
import { useLearn } from './learn/store';
import { Canvas } from './canvas/Canvas';
import { Editor } from './editor/Editor';
import { Header } from './Header';
import { EventList } from './inspect/EventList';
import { ObjectInspector } from './inspect/ObjectInspector';
import { PacketInspector } from './inspect/PacketInspector';
import { SendPacket } from './inspect/SendPacket';
import { Player } from './motion/Player';
import { Notice } from './Notice';
import { select, useApp } from './store';
import { Terminal } from './terminal/Terminal';
import { Split } from './ui/Split';
import i18next from 'i18next';

// The lesson panel and the gallery (markdown-it, the bundled course) load on first use.
const LessonPanel = lazy(() => import('./learn/LessonPanel'));
const Gallery = lazy(() => import('./learn/Gallery'));

export function App() {
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

  return (
    <div className="knp-app">
      <Header />
      <Notice />
      <Attention />
      {gallery && <Suspense fallback={null}><Gallery /></Suspense>}
      <main className="knp-main">
        {withPanel(<Split id="main" dir="row" initial={0.34} min={0.2} max={0.6}>
          <Split id="left" dir="column" initial={0.62}>
            <Editor />
            <Terminal />
          </Split>
          <Split id="right" dir="column" initial={0.64} min={0.3} max={0.85}>
            <div className="knp-stage">
              <SendPacket />
              <div className="knp-stage-canvas">
                <Canvas />
                <ObjectInspector />
              </div>
            </div>
            <div className="knp-dock">
              <Player />
              <Split id="dock" dir="row" initial={0.5}>
                <EventList />
                <PacketInspector />
              </Split>
            </div>
          </Split>
        </Split>)}
      </main>
    </div>
  );
}
