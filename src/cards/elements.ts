/**
 * Small builders for Adaptive Card 1.5 elements. Every text goes through `escapeMarkdown`: Teams and Web Chat
 * parse markdown in TextBlock and FactSet, and the texts here come from telemetry, manifests and users.
 * The cards use no markdown of their own, so `cardToText` only has to undo the escaping.
 */
import { escapeMarkdown } from './markdown.ts';
import { cardToText } from './text.ts';

export type CardElement = { type: string; [key: string]: unknown };
export type CardAction = { type: string; title: string; [key: string]: unknown };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  /** Teams host extension: use the full width of the conversation. */
  msteams: { width: 'Full' };
  body: CardElement[];
  actions?: CardAction[];
  fallbackText: string;
}

/** Teams refuses messages over 100 KB, card included; the cards stay under this. */
export const MAX_CARD_BYTES = 80 * 1024;
const MAX_FALLBACK_CHARS = 4000;
/** Telemetry values longer than this are cut in cells and titles. */
export const MAX_VALUE_CHARS = 60;

export function bytesOf(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** One line of telemetry for a cell or title: whitespace folded, cut with an ellipsis. */
export function clip(text: string, max = MAX_VALUE_CHARS): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function text(value: string, props: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: escapeMarkdown(value), wrap: true, ...props };
}

export function facts(pairs: [string, string][]): CardElement {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title: escapeMarkdown(title), value: escapeMarkdown(value) })) };
}

export function container(items: CardElement[], props: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...props };
}

/** `width`: 'auto', 'stretch' or a relative weight. */
export function columns(cols: { items: CardElement[]; width: 'auto' | 'stretch' | number }[], props: Record<string, unknown> = {}): CardElement {
  return { type: 'ColumnSet', columns: cols.map((c) => ({ type: 'Column', width: c.width, items: c.items })), ...props };
}

/** What a button sends: the bot reads `verb` and `text` from `activity.value`. */
export type SubmitData = { verb: 'refine' | 'nextPage' | 'ask'; text?: string };

export function submit(title: string, data: SubmitData): CardAction {
  return { type: 'Action.Submit', title: clip(title, 50), data };
}

export function showCard(title: string, body: CardElement[], actions: CardAction[] = []): CardAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, ...(actions.length ? { actions } : {}) } };
}

/**
 * The query, one monospace TextBlock per line (markdown joins single newlines), indentation kept by
 * `escapeMarkdown`, and an empty line as a no-break space. Lines past `maxBytes` of card JSON
 * are left out, and a last line says so.
 */
export function kqlBlocks(kql: string, maxBytes: number): CardElement[] {
  const lines = kql.split(/\r?\n/);
  const blocks: CardElement[] = [];
  let bytes = 0;
  for (const line of lines) {
    const block = text(line || '\u00a0', {
      fontType: 'Monospace', size: 'Small', spacing: blocks.length === 0 ? 'Small' : 'None',
    });
    bytes += bytesOf(block);
    if (bytes > maxBytes) {
      blocks.push(text(`The query is too long for a card: these are its first ${blocks.length} of ${lines.length} lines.`, { color: 'Warning' }));
      break;
    }
    blocks.push(block);
  }
  return blocks;
}

/** Builds with `count` items, and with fewer while the card is over the size limit (down to none). */
export function fitted(count: number, build: (count: number) => AdaptiveCard): AdaptiveCard {
  let card = build(count);
  for (let bytes = bytesOf(card); bytes > MAX_CARD_BYTES && count > 0; bytes = bytesOf(card)) {
    // Shrink in proportion to the excess, by at least one item.
    count = Math.max(0, Math.min(count - 1, Math.floor((count * MAX_CARD_BYTES) / bytes)));
    card = build(count);
  }
  return card;
}

/** Up to 6 actions show as buttons; Teams moves the rest to the "..." menu (`mode: secondary`). */
export function withOverflow(actions: CardAction[]): CardAction[] {
  return actions.map((a, i) => (i < 6 ? a : { ...a, mode: 'secondary' }));
}

/** A version 1.5 card with the Teams width hint and its own text rendering as fallback. */
export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  const card: Omit<AdaptiveCard, 'fallbackText'> = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length ? { actions: withOverflow(actions) } : {}),
  };
  const fallback = cardToText(card);
  return { ...card, fallbackText: fallback.length > MAX_FALLBACK_CHARS ? `${fallback.slice(0, MAX_FALLBACK_CHARS - 1)}…` : fallback };
}
