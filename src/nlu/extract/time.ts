import type { Extractor, ExtractContext } from './types.ts';

// Times are UTC. A relative span ("last 24 hours") becomes a lookback; a calendar phrase ("since yesterday",
// "between 2026-11-01 and 2026-11-03") becomes a start/end, with an end date read inclusively as people mean it.

const DAY = 86_400_000;
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

/** 2026-11-01, 2026-11-01 10:00, 2022-10-05T18:42:38Z UTC */
const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(?:\s*(?:Z|UTC)\b|Z)?`;
const DATE_GROUPS = 6;

interface Moment { time: number; hasTime: boolean }

function moment(ctx: ExtractContext, g: (string | undefined)[], at: number): Moment | undefined {
  const [y, mo, d, h, mi, s] = g.slice(at, at + DATE_GROUPS).map((v) => (v === undefined ? undefined : Number(v)));
  const time = Date.UTC(y!, mo! - 1, d!, h ?? 0, mi ?? 0, s ?? 0);
  const back = new Date(time);
  if (mo! < 1 || mo! > 12 || back.getUTCDate() !== d || (h ?? 0) > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59) {
    ctx.out.problems.push(`${g.slice(at, at + 3).join('-')}${h === undefined ? '' : ` ${g[at + 3]}:${g[at + 4]}`} is not a valid date or time.`);
    return undefined;
  }
  return { time, hasTime: h !== undefined };
}

const iso = (time: number) => new Date(time).toISOString();
const startOfDay = (now: Date, daysBack = 0) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysBack * DAY;

function setRange(ctx: ExtractContext, start: number | undefined, end: number | undefined): void {
  if (start !== undefined) ctx.out.edits.push({ op: 'set', slot: 'startTime', value: iso(start) });
  if (end !== undefined) ctx.out.edits.push({ op: 'set', slot: 'endTime', value: iso(end) });
  // A start on its own means "until now": an end left from before would no longer fit.
  else ctx.out.edits.push({ op: 'clear', slot: 'endTime' });
}

/** A lookback in KQL timespan text: minutes as m, hours as h, days (and weeks, months) as d. */
function lookback(count: number, unit: string): string {
  const u = unit.toLowerCase();
  if (/^(m|mins?|minutes?)$/.test(u)) return `${count}m`;
  if (/^(h|hrs?|hours?)$/.test(u)) return `${count}h`;
  if (/^(w|wks?|weeks?)$/.test(u)) return `${count * 7}d`;
  if (/^(mo|months?)$/.test(u)) return `${count * 30}d`;
  return `${count}d`;
}

const UNIT = String.raw`(minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mo|[mhdw])`;
const COUNT = String.raw`(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const LEAD = String.raw`(?:\b(?:in|over|during|within|for|from)\s+)?(?:\bthe\s+)?`;

export const TIME_WORDS = ['last', 'past', 'previous', 'since', 'between', 'before', 'after', 'until', 'today', 'yesterday', 'week', 'month', 'hours', 'minutes', 'days', 'weeks', 'months', ...Object.keys(NUMBER_WORDS)];

export const extractTime: Extractor = (ctx) => {
  const { scan, now, out } = ctx;
  const dayAfter = (m: Moment) => (m.hasTime ? m.time : m.time + DAY);

  scan.take(new RegExp(String.raw`(?:\b(?:between|from)\s+)?\b${DATE}\s*(?:\band\b|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b|–|-|\.\.)\s*${DATE}`, 'gi'), (m) => {
    const a = moment(ctx, m, 1);
    const b = moment(ctx, m, 1 + DATE_GROUPS);
    if (a && b) setRange(ctx, Math.min(a.time, b.time), dayAfter(a.time <= b.time ? b : a));
  });
  scan.take(new RegExp(String.raw`\b(since|from|starting|on\s+or\s+after|after|before|until|till|up\s+to|through)\s+${DATE}`, 'gi'), (m) => {
    const at = moment(ctx, m, 2);
    if (!at) return;
    const word = m[1].toLowerCase();
    if (word === 'after') setRange(ctx, dayAfter(at), undefined);
    else if (word === 'before') setRange(ctx, undefined, at.time);
    else if (/^(until|till|up\s+to|through)$/.test(word)) setRange(ctx, undefined, dayAfter(at));
    else setRange(ctx, at.time, undefined);
  });
  scan.take(new RegExp(String.raw`(?:\b(?:on|at|for)\s+)?\b${DATE}`, 'gi'), (m) => {
    const at = moment(ctx, m, 1);
    if (at) setRange(ctx, at.time, at.hasTime ? undefined : at.time + DAY);
  });

  scan.take(new RegExp(String.raw`${LEAD}\b(?:last|past|previous|recent)\s+(?:${COUNT}\s*)?${UNIT}\b`, 'gi'), (m) => {
    const count = m[1] === undefined ? 1 : (NUMBER_WORDS[m[1].toLowerCase()] ?? Number(m[1]));
    out.edits.push({ op: 'set', slot: 'lookback', value: lookback(count, m[2]) });
  });
  // "24h", "7d", or "for 48 hours" without "last".
  scan.take(new RegExp(String.raw`${LEAD}\b(\d+)(?:([mhdw])|\s+(minutes?|hours?|days?|weeks?))\b`, 'gi'), (m) => {
    out.edits.push({ op: 'set', slot: 'lookback', value: lookback(Number(m[1]), m[2] ?? m[3]) });
  });

  scan.take(/\bsince\s+yesterday\b/gi, () => setRange(ctx, startOfDay(now, 1), undefined));
  scan.take(/\b(?:for\s+|on\s+)?yesterday\b/gi, () => setRange(ctx, startOfDay(now, 1), startOfDay(now)));
  scan.take(/\b(?:since\s+|for\s+|so\s+far\s+)?today\b/gi, () => setRange(ctx, startOfDay(now), undefined));
  scan.take(/\b(?:since\s+|for\s+)?this\s+week\b/gi, () => setRange(ctx, startOfDay(now, (now.getUTCDay() + 6) % 7), undefined));
  scan.take(/\b(?:since\s+|for\s+)?this\s+month\b/gi, () => setRange(ctx, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), undefined));
};
