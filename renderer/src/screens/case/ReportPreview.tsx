// The access report (the self-contained HTML page `reports.preview` returns) shown inside the case
// screen and printed from it. The page is parsed inertly (DOMParser runs nothing), stripped of
// anything active, and mounted in a shadow root so its CSS and the console's never mix; the page's
// CSP forbids inline scripts anyway. While a report is loaded, a copy sits in a print-only layer at
// the end of <body>: printing (the Print button or Ctrl+P) prints the report alone.
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';

const ACTIVE = 'script, iframe, frame, object, embed, link, meta, base, form';

/** The report's own CSS, re-aimed at the shadow host (`:root`, `body` do not exist in a shadow tree). */
function scopedCss(doc: Document): string {
  return [...doc.querySelectorAll('style')].map((s) => s.textContent ?? '').join('\n')
    .replace(/:root\b/gu, ':host')
    .replace(/(^|[}\s,])body\s*\{/gu, '$1.report-body{')
    .replace(/(^|[}\s,])main\s*\{/gu, '$1.report-main{');
}

function mount(host: HTMLElement, html: string): void {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(ACTIVE).forEach((el) => el.remove());
  // The console already has its <main>: the report's becomes a plain box (one main landmark).
  for (const m of doc.body.querySelectorAll('main')) {
    const div = doc.createElement('div');
    div.className = 'report-main';
    div.append(...m.childNodes);
    m.replaceWith(div);
  }
  for (const el of doc.body.querySelectorAll('*')) {
    for (const a of [...el.attributes]) if (/^on/iu.test(a.name) || /^\s*javascript:/iu.test(a.value)) el.removeAttribute(a.name);
  }
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = `${scopedCss(doc)}\n:host{display:block}`;
  const body = document.createElement('div');
  body.className = 'report-body';
  body.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  root.replaceChildren(style, body);
}

function ReportPage({ html, className, testId }: { html: string; className: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => { if (host.current) mount(host.current, html); }, [html]);
  return <div ref={host} className={className} data-testid={testId} />;
}

/** The report in a scrolling box on the page, plus the print-only copy. */
export function ReportPreview({ html, label }: { html: string; label: string }) {
  return (
    <>
      <div className="report-frame" role="region" aria-label={label} tabIndex={0}>
        <ReportPage html={html} className="report-page" testId="report-preview" />
      </div>
      {createPortal(<div className="print-only" aria-hidden="true"><ReportPage html={html} className="report-page" /></div>, document.body)}
    </>
  );
}
