/** Lesson text as Markdown: raw HTML is never passed through (html: false), links open safely in a new tab. */
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
// markdown-it already refuses javascript:, vbscript:, file: and data: links (validateLink).
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const t = tokens[idx]!;
  t.attrSet('target', '_blank');
  t.attrSet('rel', 'noopener noreferrer');
  return defaultLink(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Safe: markdown-it with html: false escapes every tag in the source.
  return <div className={`knp-md ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
