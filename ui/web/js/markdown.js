// Reports are Markdown written by runners, so they are parsed by marked and sanitised by DOMPurify before they
// reach the page: a report can never run script, and media are dropped so it never loads anything either.
import { marked } from 'marked';
import DOMPurify from 'dompurify';
import { html } from './html.js';

export function markdownToSafeHtml(text) {
  return DOMPurify.sanitize(marked.parse(String(text ?? ''), { async: false }), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'form', 'style', 'link'],
  });
}

export function Markdown({ text }) {
  return html`<div class="markdown" dangerouslySetInnerHTML=${{ __html: markdownToSafeHtml(text) }}></div>`;
}
