/** Small inline SVG icons (fonts rarely carry the media-control glyphs). */
const Svg = ({ d }: { d: string }) => (
  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d={d} fill="currentColor" /></svg>
);
export const IconPlay = () => <Svg d="M4 2.5v11l9-5.5z" />;
export const IconPause = () => <Svg d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" />;
export const IconStepBack = () => <Svg d="M3 2.5h2v11H3zM14 2.5v11L6 8z" />;
export const IconStepForward = () => <Svg d="M11 2.5h2v11h-2zM2 2.5v11L10 8z" />;
