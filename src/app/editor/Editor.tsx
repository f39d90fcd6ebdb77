/**
 * The scenario editor. Monaco loads lazily (first paint shows the text right away); engine
 * diagnostics become markers at their exact positions; edits go to the store, which debounces
 * the rebuild so typing never waits for the engine. `kubectl edit` in the terminal puts the
 * object's YAML in the editor (a model of its own, over the scenario's) with Save and Cancel;
 * Save applies it as `kubectl apply` would (store.saveEdit) and brings the scenario back.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Diagnostic } from '../../engine';
import type { Lang } from '../i18n';
import { select, useActions, useApp } from '../store';
import { renderDiagnostic } from './diagnostics';

type Monaco = typeof import('./monaco');

const SEVERITY = { error: 8, warning: 4, info: 2 } as const;

export function toMarkers(ds: readonly Diagnostic[], lang: Lang = 'en') {
  return ds.map((d) => ({
    severity: SEVERITY[d.severity], code: d.code, source: 'knp',
    message: ((r) => (r.hint ? `${r.message}\n${r.hint}` : r.message))(renderDiagnostic(d, lang)),
    startLineNumber: d.line, startColumn: d.col,
    // A zero-width range would be invisible: mark at least one character.
    endLineNumber: d.endLine, endColumn: d.endLine === d.line && d.endCol <= d.col ? d.col + 1 : d.endCol,
  }));
}

export function Editor() {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const [mod, setMod] = useState<Monaco | null>(null);
  const editorRef = useRef<import('monaco-editor').editor.IStandaloneCodeEditor | null>(null);
  const diagnostics = useApp(select.diagnostics);
  const theme = useApp(select.theme);
  const lang = useApp(select.lang);
  const yaml = useApp(select.yaml);
  const initial = useRef(yaml);
  initial.current = yaml;
  /** True while the store's text (a restored version, an opened link) is written into Monaco. */
  const applying = useRef(false);
  const actions = useActions();

  // Monaco is big: fetch and parse it once the first graph is on screen (or after a moment),
  // so it does not compete with the engine's first answer. The text shows meanwhile.
  const firstGraph = useApp((s) => s.snapshot !== null);
  const [go, setGo] = useState(false);
  useEffect(() => {
    if (firstGraph) { const h = requestAnimationFrame(() => setGo(true)); return () => cancelAnimationFrame(h); }
    const h = setTimeout(() => setGo(true), 1500);
    return () => clearTimeout(h);
  }, [firstGraph]);
  useEffect(() => {
    if (!go) return;
    let alive = true;
    void import('./monaco').then((m) => { if (alive) setMod(m); });
    return () => { alive = false; };
  }, [go]);

  useEffect(() => {
    if (!mod || !host.current) return;
    const { monaco, SCENARIO_URI } = mod;
    const uri = monaco.Uri.parse(SCENARIO_URI);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(initial.current, 'yaml', uri);
    const ed = monaco.editor.create(host.current, {
      model, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, tabSize: 2, scrollBeyondLastLine: false,
      renderWhitespace: 'none', wordWrap: 'off', fixedOverflowWidgets: true, ariaLabel: 'scenario YAML',
      // The textarea input path: steadier with IMEs and with automation than the experimental EditContext.
      editContext: false,
    });
    editorRef.current = ed;
    const sub = model.onDidChangeContent(() => { if (!applying.current) actions.setYaml(model.getValue()); });
    return () => { sub.dispose(); ed.dispose(); editorRef.current = null; };
  }, [mod, actions]);

  // Text that came from elsewhere (history, a share link) replaces the editor's, as one undo step.
  useEffect(() => {
    if (!mod) return;
    const model = mod.monaco.editor.getModel(mod.monaco.Uri.parse(mod.SCENARIO_URI));
    if (!model || model.getValue() === yaml) return;
    applying.current = true;
    try {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: yaml }], () => null);
      // Monaco normalises line endings in the model; the store keeps the text it was given.
    } finally {
      applying.current = false;
    }
  }, [mod, yaml]);

  useEffect(() => {
    if (!mod) return;
    const model = mod.monaco.editor.getModel(mod.monaco.Uri.parse(mod.SCENARIO_URI));
    if (model) mod.monaco.editor.setModelMarkers(model, 'knp', toMarkers(diagnostics, lang));
  }, [mod, diagnostics, lang]);

  // kubectl edit: the object's YAML in a model of its own while the edit is open.
  const editing = useApp(select.editing);
  const [editError, setEditError] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    const ed = editorRef.current;
    if (!mod || !ed) return undefined;
    const scenario = mod.monaco.editor.getModel(mod.monaco.Uri.parse(mod.SCENARIO_URI));
    if (!editing) { if (scenario && ed.getModel() !== scenario) ed.setModel(scenario); return undefined; }
    setEditError('');
    const uri = mod.monaco.Uri.parse(`inmemory://knp/edit/${editing.n}.yaml`);
    const model = mod.monaco.editor.getModel(uri) ?? mod.monaco.editor.createModel(editing.yaml, 'yaml', uri);
    ed.setModel(model);
    ed.setPosition({ lineNumber: 1, column: 1 });
    ed.focus();
    return () => { if (scenario && ed.getModel() === model) ed.setModel(scenario); model.dispose(); };
  }, [mod, editing]);
  const save = async () => {
    const model = editorRef.current?.getModel();
    if (!editing || !model) return;
    setSaving(true);
    const r = await actions.saveEdit(model.getValue());
    setSaving(false);
    if (r.exitCode !== 0) setEditError(r.stderr || r.stdout);
  };

  // The problems panel asks for a position: the cursor goes there and the line into view.
  const reveal = useApp(select.reveal);
  useEffect(() => {
    const ed = editorRef.current;
    if (!reveal || !ed) return;
    ed.setPosition({ lineNumber: reveal.line, column: reveal.col });
    ed.revealLineInCenterIfOutsideViewport(reveal.line);
    ed.focus();
  }, [reveal, mod]);

  useEffect(() => { mod?.setSchemaLanguage(lang); }, [mod, lang]);

  useEffect(() => { mod?.monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs'); }, [mod, theme]);

  return (
    <div className="knp-editor" data-testid="editor" data-ready={mod ? 'true' : 'false'} data-editing={editing ? `${editing.kind}/${editing.name}` : undefined}>
      {editing && (
        <div className="knp-edit-bar" data-testid="edit-object" role="region" title={t('editObject.hint')} aria-label={t('editObject.title', { object: `${editing.kind.toLowerCase()}/${editing.name}` })}>
          <strong className="knp-mono">{t('editObject.title', { object: `${editing.kind.toLowerCase()}/${editing.name}` })}</strong>
          <span className="knp-history-hint">{t('editObject.hint')}</span>
          <span className="knp-spacer" />
          <button type="button" className="knp-btn primary" data-testid="edit-save" disabled={saving} onClick={() => void save()}>{t('editObject.save')}</button>
          <button type="button" className="knp-btn" data-testid="edit-cancel" onClick={() => actions.cancelEdit()}>{t('editObject.cancel')}</button>
          {editError && <pre className="knp-edit-error" data-testid="edit-error">{editError}</pre>}
        </div>
      )}
      <div ref={host} className="knp-editor-host" />
      {!mod && (
        <pre className="knp-editor-fallback" aria-busy="true"><span className="knp-muted">{t('editor.loading')}</span>{'\n'}{yaml}</pre>
      )}
    </div>
  );
}
