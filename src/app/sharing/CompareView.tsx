/**
 * Compare two configurations side by side (what `knp diff` prints): a saved version (or the YAML
 * as written, without the terminal's changes) against the current work, or the current work
 * against itself with one setting changed (kube-proxy mode, network plugin/backend,
 * externalTrafficPolicy, NetworkPolicies on/off: engine share/variants.ts). Shows each node's
 * `ip route` and `iptables-save` diff, the reachability cells that changed, and the trace of
 * the Send form's packet in both.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsOf, withSetting, type CompareResult, type DiffLine, type SettingId } from '../../engine';
import { select, useActions, useApp } from '../store';

export function CompareView({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const actions = useActions();
  const history = useApp(select.history);
  const yaml = useApp(select.yaml);
  const journal = useApp(select.journal);
  const send = useApp(select.send);
  // 'yaml': the current YAML without the terminal's changes; otherwise a history item's id.
  const [base, setBase] = useState<string>(journal.length ? 'yaml' : history[1]?.id ?? 'yaml');
  const [withSend, setWithSend] = useState(true);
  // 'versions': a saved version → the current work; 'setting': the current work → the same with one setting changed.
  const [mode, setMode] = useState<'versions' | 'setting'>('versions');
  const settings = useMemo(() => (mode === 'setting' ? settingsOf(yaml) : []), [mode, yaml]);
  const [settingId, setSettingId] = useState<SettingId>('kubeProxyMode');
  const setting = settings.find((x) => x.id === settingId) ?? settings[0];
  const [value, setValue] = useState<string>('');
  const other = setting ? (setting.choices.includes(value) && value !== setting.current ? value : setting.choices.find((c) => c !== setting.current) ?? setting.current) : '';
  const [r, setR] = useState<CompareResult | null>(null);
  const [busy, setBusy] = useState(false);
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  useEffect(() => {
    const item = history.find((h) => h.id === base);
    let a = item ? { yaml: item.yaml, journal: item.journal } : { yaml, journal: [] as typeof journal };
    let b = { yaml, journal };
    if (mode === 'setting') {
      if (!setting) { setR(null); return undefined; }
      a = { yaml, journal };
      b = { yaml: withSetting(yaml, setting.id, other), journal };
    }
    let alive = true;
    setBusy(true);
    void actions.compare(a, b, withSend && !!send.from && !!send.to).then((x) => { if (alive) { if (x) setR(x); setBusy(false); } });
    return () => { alive = false; };
  }, [actions, base, history, yaml, journal, withSend, send, mode, setting, other]);

  const valueName = (v: string) => (setting?.id === 'networkPolicies' ? t(`compareSettings.values.${v}`) : v);

  const changed = r?.sections.filter((s) => s.changed) ?? [];
  const word = (v: boolean | null) => t(`share.compare.${v === null ? 'absent' : v ? 'allowed' : 'denied'}`);

  return (
    <aside className="knp-compare" data-testid="compare-view" data-busy={busy} data-changed={r ? String(r.changed) : undefined} aria-label={t('share.compare.title')}>
      <div className="knp-panel-head">
        <strong>{t('share.compare.title')}</strong>
        <select name="compare-mode" value={mode} onChange={(e) => { setMode(e.target.value as 'versions' | 'setting'); setR(null); }} aria-label={t('compareSettings.mode')}>
          <option value="versions">{t('compareSettings.versions')}</option>
          <option value="setting">{t('compareSettings.setting')}</option>
        </select>
        {mode === 'versions' ? (<>
          <select name="compare-base" value={base} onChange={(e) => setBase(e.target.value)} aria-label={t('share.compare.base')}>
            <option value="yaml">{t('share.compare.yamlOnly')}</option>
            {history.map((h) => <option key={h.id} value={h.id}>{fmt.format(h.at)} · {t(`share.source.${h.source}`)}</option>)}
          </select>
          <span>→ {t('share.compare.current')}</span>
        </>) : setting ? (<>
          <select name="compare-setting" value={setting.id} onChange={(e) => { setSettingId(e.target.value as SettingId); setValue(''); }} aria-label={t('compareSettings.which')}>
            {settings.map((x) => <option key={x.id} value={x.id}>{t(`compareSettings.ids.${x.id}`)}</option>)}
          </select>
          <span data-testid="compare-setting-current">{valueName(setting.current)}</span>
          <span>→</span>
          <select name="compare-value" value={other} onChange={(e) => setValue(e.target.value)} aria-label={t('compareSettings.to')}>
            {setting.choices.filter((c) => c !== setting.current).map((c) => <option key={c} value={c}>{valueName(c)}</option>)}
          </select>
        </>) : <span>{t('compareSettings.none')}</span>}
        <label className="knp-inline"><input type="checkbox" checked={withSend} onChange={(e) => setWithSend(e.target.checked)} /> {t('share.compare.withSend')}</label>
        <span className="knp-spacer" />
        <button type="button" className="knp-icon-btn" aria-label={t('share.close')} onClick={onClose}>✕</button>
      </div>
      <div className="knp-compare-body">
        {mode === 'setting' && setting && <p className="knp-history-hint">{t('compareSettings.hint')}</p>}
        {r && !r.changed && <p className="knp-history-hint" data-testid="compare-same">{t('share.compare.same')}</p>}
        {r && r.trace && (
          <section data-testid="compare-trace">
            <h4>{t('share.compare.trace')} {r.trace.request.from} → {r.trace.request.to}</h4>
            <p><span className={`knp-verdict verdict-${r.trace.a}`}>{r.trace.a}</span> → <span className={`knp-verdict verdict-${r.trace.b}`}>{r.trace.b}</span></p>
            {r.trace.lines.some((l) => l.op !== ' ') && <Diff lines={r.trace.lines} />}
          </section>
        )}
        {r && (
          <section data-testid="compare-reach">
            <h4>{t('share.compare.reach', { port: r.reach.port, protocol: r.reach.protocol })}</h4>
            {r.reach.changes.length === 0 ? <p className="knp-history-hint">{t('share.compare.noChange')}</p> : (
              <ul>{r.reach.changes.map((c) => <li key={`${c.from}>${c.to}`} className="knp-mono">{c.from} → {c.to}: {word(c.a)} → {word(c.b)}</li>)}</ul>
            )}
          </section>
        )}
        {changed.map((s) => (
          <section key={s.title} data-section={s.title}>
            <h4 className="knp-mono">{s.title}</h4>
            <Diff lines={s.lines} />
          </section>
        ))}
        {r && r.sections.length > changed.length && <p className="knp-history-hint">{t('share.compare.unchanged', { list: r.sections.filter((s) => !s.changed).map((s) => s.title).join(', ') })}</p>}
      </div>
    </aside>
  );
}

/** Changed lines with two lines of context; long unchanged stretches fold to "…". */
function Diff({ lines }: { lines: readonly DiffLine[] }) {
  const keep = new Set<number>();
  lines.forEach((l, i) => { if (l.op !== ' ') for (let k = i - 2; k <= i + 2; k++) keep.add(k); });
  const out: { key: number; l: DiffLine | null }[] = [];
  let last = -1;
  lines.forEach((l, i) => {
    if (!keep.has(i)) return;
    if (last >= 0 && i > last + 1) out.push({ key: -i, l: null });
    out.push({ key: i, l });
    last = i;
  });
  return (
    <pre className="knp-diff">{out.map(({ key, l }) => (l
      ? <div key={key} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : ''}>{l.op} {l.text}</div>
      : <div key={key} className="skip">…</div>))}</pre>
  );
}
