import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToMarkdown } from '../../../src/knowledge/html.js';

describe('htmlToMarkdown', () => {
  it('turns h1–h6 into Markdown headings and blocks into paragraphs', () => {
    const html = `<html><head><title>x</title><style>p{color:red}</style></head><body>
      <h1>Help <em>center</em></h1><p>Hello&nbsp;there,<br>second line</p>
      <h3 class="x">Returns &amp; refunds</h3><div>Send it back within <b>30</b> days.</div>
      <script>alert("no")</script></body></html>`;
    expect(htmlToMarkdown(html)).toBe(
      '# Help center\n\nHello there,\nsecond line\n\n### Returns & refunds\n\nSend it back within 30 days.',
    );
  });

  it('drops comments and keeps list items as lines', () => {
    expect(htmlToMarkdown('<!-- hidden --><ol><li>One</li><li>Two</li></ol>')).toBe('- One\n\n- Two');
  });

  it('keeps line breaks inside <pre>', () => {
    expect(htmlToMarkdown('<pre>a\n  b</pre>')).toBe('a\nb');
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities and leaves unknown ones', () => {
    expect(decodeEntities('&lt;a&gt; &#39;x&#x27; &euro;5 &bogus;')).toBe("<a> 'x' €5 &bogus;");
  });
});
