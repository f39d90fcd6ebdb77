/** Export menu: the canvas as PNG/SVG at 2×, the followed trace as pcap and as Markdown. Names carry the scenario's name. */
import { useCallback, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import { useTranslation } from 'react-i18next';
import { tracePcap } from '../../engine/stack/pcap';
import { select, useApp } from '../store';
import { download, scenarioName } from './download';
import { traceMarkdown } from './markdown';

function canvasElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid=canvas] .react-flow');
}

/** Leaves out the controls and the minimap: the picture is the network. */
const keep = (n: HTMLElement) => !(n.classList?.contains('react-flow__controls') || n.classList?.contains('react-flow__minimap') || n.classList?.contains('knp-canvas-hint'));

export function Exports() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useDismiss(box, open, useCallback(() => setOpen(false), []));
  const run = useApp(select.primaryRun);
  const yaml = useApp(select.yaml);
  const lang = useApp(select.lang);
  const name = scenarioName(yaml);

  const image = async (kind: 'png' | 'svg') => {
    const el = canvasElement();
    if (!el) return;
    setBusy(true);
    try {
      const h2i = await import('html-to-image');
      const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
      const opts = { pixelRatio: 2, filter: keep, backgroundColor: bg, cacheBust: false, skipFonts: true };
      if (kind === 'svg') {
        // The SVG (every element with its computed style) is easily past what Chromium follows in
        // a data: URL; a Blob has no such limit.
        const url = await h2i.toSvg(el, opts);
        download(`${name}.svg`, decodeURIComponent(url.slice(url.indexOf(',') + 1)), 'image/svg+xml');
        return;
      }
      const url = await h2i.toPng(el, opts);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}.${kind}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } finally {
      setBusy(false);
    }
  };
  const stamp = run ? `${name}-${run.trace.from}-${run.trace.to}`.replace(/[^A-Za-z0-9._-]+/g, '_') : name;

  return (
    <div className="knp-menu" ref={box}>
      <button type="button" className="knp-btn" data-testid="export-menu" aria-expanded={open} onClick={() => setOpen(!open)}>⤓ {t('share.exports')}</button>
      {open && (
        <div className="knp-menu-pop" role="menu" onClick={() => setOpen(false)}>
          <button type="button" role="menuitem" data-testid="export-png" disabled={busy} onClick={() => void image('png')}>{t('share.png')}</button>
          <button type="button" role="menuitem" data-testid="export-svg" disabled={busy} onClick={() => void image('svg')}>{t('share.svg')}</button>
          <button type="button" role="menuitem" data-testid="export-pcap" disabled={!run} title={run ? '' : t('share.nothingSent')}
            onClick={() => run && download(`${stamp}.pcap`, tracePcap(run.trace) as Uint8Array<ArrayBuffer>, 'application/vnd.tcpdump.pcap')}>{t('share.pcap')}</button>
          <button type="button" role="menuitem" data-testid="export-markdown" disabled={!run} title={run ? '' : t('share.nothingSent')}
            onClick={() => run && download(`${stamp}.md`, traceMarkdown(run.trace, name, t('share.md', { returnObjects: true }) as never, lang), 'text/markdown')}>{t('share.markdown')}</button>
        </div>
      )}
    </div>
  );
}
