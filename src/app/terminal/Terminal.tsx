/**
 * The terminal: xterm.js (loaded lazily) with a small line editor — history, cursor keys,
 * Ctrl-C, Ctrl-L and tab completion — running each line through the engine's command table in
 * the chosen target. Commands that change the simulation update the graph and the next traces.
 * A line with a here-document (`<<EOF`) collects the following lines up to the delimiter; a
 * command that opens an interactive shell (`kubectl exec -it POD -- sh`) switches the target to
 * that Pod until `exit`.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { select, useActions, useApp } from '../store';
import { complete } from './complete';
import { wrapWords } from './wrap';

type Xterm = import('@xterm/xterm').Terminal;

const BUILTINS = ['clear', 'history'];

function promptFor(target: string): string {
  const parts = target.split('/');
  const name = parts[parts.length - 1] ?? target;
  const sigil = parts[0] === 'pod' ? '/ #' : '#';
  return `\x1b[1;32m${parts[0] === 'pod' ? name : `root@${name}`}\x1b[0m:\x1b[1;34m~\x1b[0m${sigil} `;
}


export function Terminal() {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Xterm | null>(null);
  const [loaded, setLoaded] = useState(false);
  const target = useApp(select.terminalTarget);
  const commands = useApp(select.commands);
  const snap = useApp(select.snapshot);
  // Once per snapshot, not on every store change (a replay step).
  const targets = useMemo(() => select.targets({ snapshot: snap }), [snap]);
  const resets = useApp(select.resets);
  const theme = useApp(select.theme);
  const actions = useActions();

  // What the line editor needs, kept in a ref so the xterm handler (bound once) sees the latest.
  const names = useMemo(() => (snap ? [...snap.pods.map((p) => p.name), ...snap.services.map((s) => s.name), ...snap.nodes.map((n) => n.name)] : []), [snap]);
  const ctx = useRef({ target, targets, commands, names, t });
  ctx.current = { target, targets, commands, names, t };

  // xterm loads after the first graph, like Monaco, so the first answer comes first.
  const firstGraph = useApp((s) => s.snapshot !== null);
  const [go, setGo] = useState(false);
  useEffect(() => {
    if (firstGraph) { setGo(true); return; }
    const h = setTimeout(() => setGo(true), 1500);
    return () => clearTimeout(h);
  }, [firstGraph]);

  useEffect(() => {
    if (!go) return;
    let disposed = false;
    let cleanup = () => {};
    void Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit'), import('@xterm/xterm/css/xterm.css')]).then(([{ Terminal: XT }, { FitAddon }]) => {
      if (disposed || !host.current) return;
      const x = new XT({ fontSize: 12.5, fontFamily: 'ui-monospace, "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace', cursorBlink: true, convertEol: true, scrollback: 2000, allowProposedApi: false });
      const fit = new FitAddon();
      x.loadAddon(fit);
      x.open(host.current);
      fit.fit();
      term.current = x;
      setLoaded(true);

      let buf = '';
      let pos = 0;
      let busy = false;
      const history: string[] = [];
      let hi = 0;
      const prompt = () => promptFor(ctx.current.target || 'workstation');
      const redraw = () => {
        x.write(`\r\x1b[K${prompt()}${buf}`);
        const back = buf.length - pos;
        if (back > 0) x.write(`\x1b[${back}D`);
      };
      const newPrompt = () => { buf = ''; pos = 0; x.write(`\r\n${prompt()}`); };
      // Wrapped here on word boundaries: xterm itself would break a word at the last column.
      const welcome = ctx.current.t('terminal.welcome', { target: ctx.current.target || 'workstation', example: 'kubectl get pods -o wide' });
      for (const line of wrapWords(welcome, x.cols)) x.writeln(`\x1b[2m${line}\x1b[0m`);
      x.write(prompt());

      // Interactive shells opened by `kubectl exec -it POD -- sh` / `kubectl run -it`: `exit` returns.
      const sessions: { target: string; onExit?: readonly string[] }[] = [];
      // A here-document being typed (`kubectl apply -f - <<EOF`): lines until the delimiter.
      let heredoc: { lines: string[]; tag: string } | null = null;
      const execute = async (line: string) => {
        busy = true;
        const r = await actions.exec(line);
        busy = false;
        // kubectl edit opens the object in the editor (store.editing) instead of printing "Edit cancelled".
        if (r.editor) x.write(`${ctx.current.t('editObject.opened', { object: `${r.editor.kind.toLowerCase()}/${r.editor.name}` })}\r\n`);
        else if (r.stdout) x.write(r.stdout);
        if (r.stderr) x.write(`\x1b[31m${r.stderr}\x1b[0m`);
        buf = ''; pos = 0;
        if (r.session) {
          const to = r.session.target.kind === 'pod' ? `pod/${r.session.target.namespace}/${r.session.target.name}` : '';
          if (to && to !== ctx.current.target) {
            sessions.push({ target: ctx.current.target, ...(r.session.onExit ? { onExit: r.session.onExit } : {}) });
            actions.setTerminalTarget(to);
            return;
          }
        }
        x.write(prompt());
      };

      const run = async (line: string) => {
        x.write('\r\n');
        if (heredoc) {
          heredoc.lines.push(line);
          buf = ''; pos = 0;
          if (line.replace(/^\t+/, '') !== heredoc.tag) { x.write('> '); return; }
          const text = heredoc.lines.join('\n');
          heredoc = null;
          await execute(text);
          return;
        }
        const tag = /<<-?\s*['"]?([A-Za-z_][\w-]*)/.exec(line);
        if (tag) { history.push(line); hi = history.length; heredoc = { lines: [line], tag: tag[1]! }; buf = ''; pos = 0; x.write('> '); return; }
        const trimmed = line.trim();
        if ((trimmed === 'exit' || trimmed === 'logout') && sessions.length) {
          const back = sessions.pop()!;
          buf = ''; pos = 0;
          // `--rm`: the Pod goes when its shell ends (kubectl names it with -n, so any target will do).
          if (back.onExit) {
            const r = await actions.exec(back.onExit.join(' '));
            if (r.stdout) x.write(r.stdout);
            if (r.stderr) x.write(`\x1b[31m${r.stderr}\x1b[0m`);
          }
          if (back.target === ctx.current.target) x.write(prompt());
          else actions.setTerminalTarget(back.target);
          return;
        }
        if (trimmed) { history.push(line); }
        hi = history.length;
        if (trimmed === 'clear') { x.clear(); x.write(`\x1b[2J\x1b[H${prompt()}`); buf = ''; pos = 0; return; }
        if (trimmed === 'history') { x.write(history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}`).join('\r\n') + '\r\n'); buf = ''; pos = 0; x.write(prompt()); return; }
        if (!trimmed) { buf = ''; pos = 0; x.write(prompt()); return; }
        await execute(line);
      };

      const sub = x.onData((data) => {
        if (busy) return;
        if (data === '\r') { const line = buf; void run(line); return; }
        if (data === '\x7f' || data === '\b') { if (pos > 0) { buf = buf.slice(0, pos - 1) + buf.slice(pos); pos--; redraw(); } return; }
        if (data === '\x03') { x.write('^C'); newPrompt(); return; }
        if (data === '\x0c') { x.clear(); redraw(); return; }
        if (data === '\x1b[A') { if (hi > 0) { hi--; buf = history[hi] ?? ''; pos = buf.length; redraw(); } return; }
        if (data === '\x1b[B') { if (hi < history.length) { hi++; buf = history[hi] ?? ''; pos = buf.length; redraw(); } return; }
        if (data === '\x1b[D') { if (pos > 0) { pos--; x.write(data); } return; }
        if (data === '\x1b[C') { if (pos < buf.length) { pos++; x.write(data); } return; }
        if (data === '\x1b[H' || data === '\x01') { pos = 0; redraw(); return; }
        if (data === '\x1b[F' || data === '\x05') { pos = buf.length; redraw(); return; }
        if (data === '\t') {
          const c = ctx.current;
          const r = complete(buf.slice(0, pos), { commands: [...c.commands, ...BUILTINS], targets: c.targets, names: c.names });
          if (r.options.length) x.write(`\r\n${r.options.join('  ')}\r\n`);
          buf = r.line + buf.slice(pos); pos = r.line.length; redraw();
          return;
        }
        if (data.startsWith('\x1b')) return;
        // Typed or pasted text: a pasted newline runs the line so far.
        const [head, ...rest] = data.replace(/\r\n?/g, '\n').split('\n');
        buf = buf.slice(0, pos) + head + buf.slice(pos); pos += head!.length;
        if (rest.length) { void run(buf); return; }
        if (pos === buf.length) x.write(head!); else redraw();
      });

      const ro = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden */ } });
      ro.observe(host.current);
      (x as unknown as { knpPrompt: () => void }).knpPrompt = () => { buf = ''; pos = 0; x.write(`\r\n${prompt()}`); };
      cleanup = () => { sub.dispose(); ro.disconnect(); x.dispose(); term.current = null; };
    });
    return () => { disposed = true; cleanup(); };
  }, [actions, go]);

  // A new target or a reset shows a fresh prompt line.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    const x = term.current as (Xterm & { knpPrompt?: () => void }) | null;
    x?.knpPrompt?.();
  }, [target]);
  useEffect(() => {
    const x = term.current as (Xterm & { knpPrompt?: () => void }) | null;
    if (resets && x) { x.write(`\r\n\x1b[33m${t('terminal.resetDone')}\x1b[0m`); x.knpPrompt?.(); }
  }, [resets, t]);

  useEffect(() => {
    const x = term.current;
    if (!x) return;
    x.options.theme = theme === 'dark'
      ? { background: '#0b1220', foreground: '#dbe4f0', cursor: '#7dd3fc', selectionBackground: '#334155' }
      : { background: '#0f172a', foreground: '#e2e8f0', cursor: '#38bdf8', selectionBackground: '#334155' };
  }, [theme, loaded]);

  return (
    <section className="knp-terminal" aria-label={t('terminal.title')}>
      <div className="knp-panel-head">
        <span className="knp-panel-title">{t('terminal.title')}</span>
        <label className="knp-inline">
          <span className="knp-muted">{t('terminal.target')}</span>
          <select value={target} onChange={(e) => actions.setTerminalTarget(e.target.value)} aria-label={t('terminal.target')}>
            {(targets.includes(target) ? targets : [target, ...targets]).map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
        <span className="knp-spacer" />
        <button type="button" className="knp-btn" onClick={() => void actions.resetToYaml()}>↺ {t('terminal.reset')}</button>
      </div>
      <div className="knp-term-host" ref={host} data-testid="terminal" data-ready={loaded ? 'true' : 'false'}>
        {!loaded && <div className="knp-muted knp-pad">{t('terminal.loading')}</div>}
      </div>
    </section>
  );
}
