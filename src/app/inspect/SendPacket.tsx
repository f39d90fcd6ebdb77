/** The "send a packet" form (from a Pod, node or host to an IP, Service, DNS name or URL) and "run probes". */
import { useMemo, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { podAddresses, serviceAddresses } from '../canvas/addresses';
import { select, useActions, useApp } from '../store';

export function SendPacket() {
  const { t } = useTranslation();
  const f = useApp(select.send);
  const sending = useApp(select.sending);
  // Derived from the snapshot once per snapshot: a selector would walk every Pod and Service
  // on each store change, a replay step included.
  const snap = useApp(select.snapshot);
  const targets = useMemo(() => select.targets({ snapshot: snap }), [snap]);
  const suggestions = useMemo(() => [...new Set(snap ? [
    // Every address of each family (a dual-stack Pod or Service has two).
    ...snap.services.flatMap((x) => [x.name, `${x.name}.${x.namespace}.svc.cluster.local`, ...serviceAddresses(x).filter((a) => a !== 'None')]),
    ...snap.pods.flatMap(podAddresses),
    ...snap.probes.map((p) => p.to),
  ] : [])], [snap]);
  const probes = snap?.probes.length ?? 0;
  const actions = useActions();
  const from = targets.filter((x) => x !== 'workstation');

  const submit = (e: FormEvent) => { e.preventDefault(); void actions.sendPacket(); };
  return (
    <form className="knp-send" data-testid="send-packet" onSubmit={submit} aria-label={t('send.title')}>
      <label className="knp-inline">
        <span className="knp-muted">{t('send.from')}</span>
        <select name="from" value={f.from} onChange={(e) => actions.setSend({ from: e.target.value })}>
          {(from.includes(f.from) || !f.from ? from : [f.from, ...from]).map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
      </label>
      <label className="knp-inline knp-grow">
        <span className="knp-muted">{t('send.to')}</span>
        <input name="to" list="knp-to-list" value={f.to} placeholder={t('send.toPlaceholder')} onChange={(e) => actions.setSend({ to: e.target.value })} spellCheck={false} />
        <datalist id="knp-to-list">{suggestions.map((s) => <option key={s} value={s} />)}</datalist>
      </label>
      <input name="port" className="knp-port" inputMode="numeric" placeholder={t('send.port')} aria-label={t('send.port')} value={f.port} onChange={(e) => actions.setSend({ port: e.target.value.replace(/\D/g, '') })} />
      <select name="protocol" aria-label={t('send.protocol')} value={f.protocol} onChange={(e) => actions.setSend({ protocol: e.target.value as 'tcp' | 'udp' | 'icmp' })}>
        <option value="tcp">TCP</option><option value="udp">UDP</option><option value="icmp">ICMP</option>
      </select>
      <label className="knp-inline" title={t('send.count')}>
        <span className="knp-muted">×</span>
        <input name="count" className="knp-port" type="number" min={1} max={50} value={f.count} onChange={(e) => actions.setSend({ count: Math.max(1, Math.min(50, Number(e.target.value) || 1)) })} aria-label={t('send.count')} />
      </label>
      <button type="submit" className="knp-btn primary" disabled={sending || !f.from || !f.to}>{sending ? t('send.sending') : `➤ ${t('send.send')}`}</button>
      <button type="button" className="knp-btn" disabled={sending || !probes} onClick={() => void actions.runProbes()}>{t('send.probes')}</button>
    </form>
  );
}
