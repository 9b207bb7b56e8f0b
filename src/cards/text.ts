import { unescapeMarkdown } from './markdown.ts';

type Json = Record<string, unknown>;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);
const plain = (v: unknown): string => unescapeMarkdown(typeof v === 'string' ? v : '');

/**
 * A card as plain text, for `hunt chat` in a terminal and as the card's fallbackText. Buttons that send a
 * sentence are listed as what to type ("› only port 4444"); show-cards (Show KQL, Refine) are left out,
 * since a terminal has "show query" for the first and typing for the second.
 */
export function cardToText(card: object): string {
  const root = card as Json;
  const lines = elementsText(list(root.body));
  const tries = list(root.actions).flatMap(actionText);
  if (tries.length) lines.push('', 'Try:', ...tries);
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function elementsText(elements: Json[]): string[] {
  const lines: string[] = [];
  for (const el of elements) {
    if (el.isVisible === false) continue;
    const own = elementText(el);
    if (own.length === 0) continue;
    // A separator or a section-sized gap starts a new paragraph.
    if (lines.length && (el.separator === true || el.spacing === 'Medium' || el.spacing === 'Large')) lines.push('');
    lines.push(...own);
  }
  return lines;
}

function elementText(el: Json): string[] {
  switch (el.type) {
    case 'TextBlock':
      return [plain(el.text)];
    case 'FactSet': {
      const facts = list(el.facts).map((f) => [plain(f.title), plain(f.value)] as const);
      const width = Math.max(0, ...facts.map(([t]) => t.length));
      return facts.map(([t, v]) => `${`${t}:`.padEnd(width + 1)} ${v}`);
    }
    case 'Container':
      return elementsText(list(el.items));
    case 'ColumnSet': {
      const cols = list(el.columns).map((c) => elementsText(list(c.items))).filter((c) => c.length > 0);
      // Short columns (a bar row) read as one line; tall ones (side-by-side sections) one after another.
      if (cols.every((c) => c.length === 1)) return [cols.map((c) => c[0]).join('  ')];
      return cols.flatMap((c, i) => (i > 0 ? ['', ...c] : c));
    }
    case 'Table':
      return tableText(el);
    case 'ActionSet':
      return list(el.actions).flatMap(actionText);
    default:
      return [];
  }
}

function tableText(table: Json): string[] {
  const rows = list(table.rows).map((r) => list(r.cells).map((c) => elementsText(list(c.items)).join(' ')));
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const out = rows.map(line);
  if (table.firstRowAsHeader !== false) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return out;
}

function actionText(action: Json): string[] {
  if (action.type !== 'Action.Submit') return [];
  const data = action.data as Json | undefined;
  const sentence = typeof data?.text === 'string' ? data.text : typeof action.title === 'string' ? action.title : '';
  return sentence ? [`  › ${sentence}`] : [];
}
