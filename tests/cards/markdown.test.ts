import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeMarkdown, unescapeMarkdown } from '../../src/cards/markdown.ts';
import { renderLikeWebChat } from './helpers.ts';

/** What a reader sees: the HTML's text, entities decoded. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\u200b/g, '').replace(/\u00a0/g, ' ').replace(/\n$/, '');
}

const hostile = [
  '[click](http://evil)',
  'see http://evil.example/x and www.evil.example, mail a@evil.example',
  '**bold** _it_ ~~strike~~ `code`',
  '# heading', '1. list', '- item', '+ item', '> quote', '| a | b |', '***', '===',
  '<b>html</b> <img src=x onerror=alert(1)>', '&amp; &lt;',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  "it's \"quoted\" (c) (tm) -- ... ,, ????",
  '    four spaces: a code block',
  'C:\\Windows\\System32\\cmd.exe /c "whoami"',
  '[x]: http://y',
];

describe('escapeMarkdown', () => {
  it('shows hostile telemetry as the same plain text, with no markup', () => {
    for (const value of hostile) {
      const html = renderLikeWebChat(escapeMarkdown(value));
      expect(html.replace(/<\/?p>|<br \/>/g, ''), value).not.toMatch(/<[a-z]/i);
      expect(visibleText(html), value).toBe(value);
    }
  });

  it('escapes the characters that start markdown, HTML, links and date functions', () => {
    const escaped = escapeMarkdown('[click](http://evil) {{DATE(x)}}');
    expect(escaped).toBe('\\[click\\]\\(http\\:\\/\\/evil\\) \\{\\{DATE\\(x\\)\\}\\}');
    expect(escaped).not.toContain('{{');
  });

  it('is undone by unescapeMarkdown for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }), (s) => {
      // Leading tabs become no-break spaces, which read back as spaces.
      expect(unescapeMarkdown(escapeMarkdown(s))).toBe(s.replace(/^[ \t]+/gm, (m) => ' '.repeat(m.length)));
    }));
  });
});
