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
import { useEffect } from 'react';
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

  return (
    <div className="knp-app">
      <Header />
      <Notice />
      <main className="knp-main">
        <Split id="main" dir="row" initial={0.34} min={0.2} max={0.6}>
          <Split id="left" dir="column" initial={0.62}>
            <div className="knp-editor-col">
              <Editor />
              <Problems />
            </div>
            <Terminal />
          </Split>
          <Split id="right" dir="column" initial={0.64} min={0.3} max={0.85}>
            <div className="knp-stage">
              <SendPacket />
              <StaleTrace />
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
        </Split>
      </main>
    </div>
  );
}
