/**
 * Two panes and a draggable (and keyboard-movable) divider; the ratio is remembered per id.
 *
 * The same Split can change id (the page's lesson layout has its own ratios) without remounting
 * its panes. `only` shows one pane alone (the other is hidden, still mounted); `collapsed` shrinks
 * a pane to its natural height or width (a bar with a toggle) and gives the rest to the other.
 */
import { useCallback, useRef, useState, type ReactNode, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

function savedRatio(id: string): number | null {
  const saved = Number(globalThis.localStorage?.getItem(`knp.split.${id}`));
  return saved > 0 && saved < 1 ? saved : null;
}

export function Split({ id, dir, initial, min = 0.15, max = 0.85, only, collapsed, children }: {
  id: string; dir: 'row' | 'column'; initial: number; min?: number; max?: number;
  only?: 0 | 1 | undefined; collapsed?: 0 | 1 | undefined; children: [ReactNode, ReactNode];
}) {
  const { t } = useTranslation();
  const [ratios, setRatios] = useState<Record<string, number>>({});
  const ratio = ratios[id] ?? savedRatio(id) ?? initial;
  const box = useRef<HTMLDivElement>(null);
  const set = useCallback((r: number) => {
    const v = Math.max(min, Math.min(max, r));
    setRatios((m) => ({ ...m, [id]: v }));
    globalThis.localStorage?.setItem(`knp.split.${id}`, String(v));
  }, [id, min, max]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const el = box.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const move = (ev: globalThis.PointerEvent) => set(dir === 'row' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height);
    const up = () => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); document.body.classList.remove('knp-resizing'); };
    document.body.classList.add('knp-resizing');
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const back = dir === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const fwd = dir === 'row' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back) { set(ratio - 0.03); e.preventDefault(); }
    if (e.key === fwd) { set(ratio + 0.03); e.preventDefault(); }
  };

  const style = (pane: 0 | 1) => {
    if (only !== undefined) return only === pane ? { flexBasis: '100%' } : { display: 'none' };
    if (collapsed !== undefined) return collapsed === pane ? { flex: '0 0 auto' } : { flex: '1 1 0' };
    return { flexBasis: `${(pane === 0 ? ratio : 1 - ratio) * 100}%` };
  };
  const bar = only === undefined && collapsed === undefined;
  return (
    <div ref={box} className={`knp-split knp-split-${dir}`} data-split={id}>
      <div className="knp-split-pane" style={style(0)}>{children[0]}</div>
      <div
        className="knp-split-bar" role="separator" tabIndex={bar ? 0 : -1} hidden={!bar} aria-label={t('pane.resize')}
        aria-orientation={dir === 'row' ? 'vertical' : 'horizontal'} aria-valuenow={Math.round(ratio * 100)} aria-valuemin={Math.round(min * 100)} aria-valuemax={Math.round(max * 100)}
        onPointerDown={onPointerDown} onKeyDown={onKey}
      />
      <div className="knp-split-pane" style={style(1)}>{children[1]}</div>
    </div>
  );
}
