// Word-level helpers shared by the ranker and the extractors: tokens, a light stemmer, typo correction.

/** Words that carry no meaning for choosing a skill. */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'me', 'my', 'us', 'our', 'we', 'i', 'you', 'it', 'its', 'that', 'this', 'these', 'those', 'there',
  'show', 'list', 'get', 'find', 'give', 'display', 'see', 'tell', 'let', 'need', 'want', 'know', 'please', 'can', 'could',
  'would', 'do', 'did', 'does', 'is', 'are', 'was', 'were', 'be', 'been', 'have', 'has', 'had', 'all', 'any', 'some', 'every',
  'what', 'which', 'who', 'where', 'when', 'how', 'to', 'from', 'on', 'in', 'of', 'for', 'with', 'by', 'and', 'or', 'at', 'as',
  'into', 'about', 'ok', 'okay', 'hmm', 'then', 'just', 'also', 'too', 'now', 'only', 'so', 'eg', 'e', 'g', 's', 't', 'pls',
]);

export interface Token { word: string; start: number; end: number }

/** Letter-only words (lower-case) with their positions; digits and punctuation split words. */
export function words(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[A-Za-z]+/g)) out.push({ word: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** "connections", "connecting" -> "connect"; "devices" -> "device"; "addresses" -> "address". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 2 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ion', 'ed']) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  }
  return w;
}

/** Optimal-string-alignment Damerau-Levenshtein distance, giving up once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** Typos allowed for a word of this length: none below 5 letters, 1 up to 8, 2 from 9. */
export function allowedTypos(length: number): number {
  return length < 5 ? 0 : length < 9 ? 1 : 2;
}

/**
 * Everyday words that are close to a keyword but mean something else ("least" is not "last", "received" is not
 * "reserved", "three" is not "there"): known, so never corrected.
 */
export const COMMON_WORDS = [
  'least', 'most', 'more', 'less', 'received', 'receive', 'named', 'called', 'name', 'three', 'seven', 'eight', 'eleven',
  'twelve', 'first', 'latest', 'recent', 'oldest', 'newest', 'single', 'every', 'other', 'their', 'there', 'these',
  'those', 'where', 'which', 'while', 'within', 'without', 'about', 'after', 'again', 'against', 'before', 'below',
  'between', 'during', 'under', 'until', 'above', 'inbound', 'outgoing', 'incoming', 'traffic', 'events', 'event',
  'network', 'connection', 'connections', 'happened', 'started', 'made', 'using', 'used', 'uses', 'talking', 'talked',
  'sending', 'sent', 'going', 'went', 'visited', 'scanning', 'contains', 'containing', 'starts', 'machine', 'machines',
  'please', 'thanks', 'thank', 'could', 'would', 'should', 'might', 'maybe', 'weather', 'today', 'yesterday', 'tomorrow',
  'hours', 'minutes', 'seconds', 'since', 'times', 'count', 'number', 'total', 'unique', 'distinct', 'report', 'summary',
  'change', 'changes', 'changed', 'range', 'ranges', 'show', 'shows', 'showing', 'query', 'queries', 'result', 'results',
];

/**
 * Corrects misspelt words to the closest known word ("conections" -> "connections", "pubic" -> "public").
 * Results are cached; the cache is bounded because user text is unbounded.
 */
export class Lexicon {
  private readonly known: Set<string>;
  private readonly byLength = new Map<number, string[]>();
  private readonly cache = new Map<string, string>();

  constructor(vocabulary: Iterable<string>, private readonly protectedWords: Set<string> = new Set()) {
    this.known = new Set([...vocabulary].map((w) => w.toLowerCase()).filter((w) => /^[a-z]+$/.test(w)));
    for (const w of this.known) {
      const list = this.byLength.get(w.length) ?? [];
      list.push(w);
      this.byLength.set(w.length, list);
    }
  }

  has(word: string): boolean {
    return this.known.has(word.toLowerCase());
  }

  correct(word: string): string {
    const w = word.toLowerCase();
    if (this.known.has(w) || this.protectedWords.has(w) || allowedTypos(w.length) === 0) return w;
    const cached = this.cache.get(w);
    if (cached !== undefined) return cached;
    const max = allowedTypos(w.length);
    let best = w;
    let bestDistance = max + 1;
    for (let len = w.length - max; len <= w.length + max; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        const d = editDistance(w, candidate, Math.min(max, bestDistance - 1));
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(w, best);
    return best;
  }

  /** The text with each misspelt letter-only word replaced, keeping everything else (and its case) as typed. */
  correctText(text: string): string {
    return text.replace(/[A-Za-z]+/g, (word, offset: number) => {
      // Parts of names such as WS-0042, fin-laptop-3 or teams.exe are never corrected.
      const joined = (sep: string | undefined, next: string | undefined) =>
        /\w/.test(sep ?? '') || ((sep === '.' || sep === '-' || sep === '_') && /\w/.test(next ?? ''));
      if (joined(text[offset - 1], text[offset - 2]) || joined(text[offset + word.length], text[offset + word.length + 1])) return word;
      const fixed = this.correct(word);
      return fixed === word.toLowerCase() ? word : fixed;
    });
  }
}

/**
 * The text being read, with the parts already understood blanked out so later extractors don't read them again
 * ("on 2026-11-02" is a date, so "on" does not start a device name any more).
 */
export class Scan {
  private chars: string[];

  constructor(readonly original: string) {
    this.chars = [...original].map((c) => (c === MASK ? ' ' : c));
  }

  get text(): string {
    return this.chars.join('');
  }

  /** Calls `fn` for each match of `re` (global) in the unread text; masks a match unless `fn` returns false. */
  take(re: RegExp, fn: (m: RegExpExecArray) => boolean | void): void {
    const text = this.text;
    for (const m of text.matchAll(re)) {
      if (fn(m) !== false) this.mask(m.index!, m.index! + m[0].length);
    }
  }

  mask(start: number, end: number): void {
    for (let i = start; i < end; i++) this.chars[i] = MASK;
  }
}

/** Stands for text already read: not a letter, digit or space, so \b and \s in later patterns stop at it. */
export const MASK = '\u0001';
