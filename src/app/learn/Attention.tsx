/** Flashes the part of the page "next step" points at and scrolls it into view. */
import { useEffect } from 'react';
import { useLearn } from './store';

export function Attention() {
  const attention = useLearn((s) => s.attention);
  useEffect(() => {
    if (!attention) return;
    const el = document.querySelector<HTMLElement>(`[data-testid="${attention.spot}"]`);
    if (!el) return;
    const box = el.closest<HTMLElement>('section, form, .knp-editor, .knp-choices') ?? el;
    box.scrollIntoView({ block: 'nearest' });
    box.classList.remove('knp-attention');
    void box.offsetWidth; // restart the animation
    box.classList.add('knp-attention');
    if (attention.spot === 'terminal') el.querySelector<HTMLElement>('textarea')?.focus();
    const t = setTimeout(() => box.classList.remove('knp-attention'), 2600);
    return () => clearTimeout(t);
  }, [attention]);
  return null;
}
