/** Two panes and a draggable (and keyboard-movable) divider; the ratio is remembered per id. */
import { useCallback, useRef, useState, type ReactNode, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

export function Split({ id, dir, initial, min = 0.15, max = 0.85, children }: {
  id: string; dir: 'row' | 'column'; initial: number; min?: number; max?: number; children: [ReactNode, ReactNode];
}) {
  const { t } = useTranslation();
  const saved = Number(globalThis.localStorage?.getItem(`knp.split.${id}`));
  const [ratio, setRatio] = useState(saved > 0 && saved < 1 ? saved : initial);
  const box = useRef<HTMLDivElement>(null);
  const set = useCallback((r: number) => {
    const v = Math.max(min, Math.min(max, r));
    setRatio(v);
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

  return (
    <div ref={box} className={`knp-split knp-split-${dir}`}>
      <div className="knp-split-pane" style={{ flexBasis: `${ratio * 100}%` }}>{children[0]}</div>
      <div
        className="knp-split-bar" role="separator" tabIndex={0} aria-label={t('pane.resize')}
        aria-orientation={dir === 'row' ? 'vertical' : 'horizontal'} aria-valuenow={Math.round(ratio * 100)} aria-valuemin={Math.round(min * 100)} aria-valuemax={Math.round(max * 100)}
        onPointerDown={onPointerDown} onKeyDown={onKey}
      />
      <div className="knp-split-pane" style={{ flexBasis: `${(1 - ratio) * 100}%` }}>{children[1]}</div>
    </div>
  );
}
