/**
 * Texts in TextBlock and FactSet are markdown in Teams and Web Chat (markdown-it with linkify, typographer and
 * HTML on). A backslash before every ASCII punctuation character is a literal in CommonMark, which turns off
 * links, autolinks, emphasis, headings, lists, HTML, typographic replacements and the Adaptive Card date
 * functions (`{{DATE(...)}}`) alike. Leading spaces become no-break spaces (no code block), behind a zero-width
 * space because markdown trims a paragraph's leading white space, no-break spaces included (KQL keeps its indent).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/^[ \t]+/gm, (s) => `\u200b${'\u00a0'.repeat(s.length)}`);
}

/** Undoes `escapeMarkdown` (no-break spaces read as spaces). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/^\u200b(?=\u00a0)/gm, '').replace(/\u00a0/g, ' ');
}
