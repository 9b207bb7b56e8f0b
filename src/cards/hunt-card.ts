import { timespanMs } from '../skills/literals.ts';
import { inputForSlot as inputFor } from '../skills/slots.ts';
import type { Hunt, Skill, Slot } from '../skills/types.ts';
import type { ConnectionGroup, HuntSummary, TopEntry } from '../summary/types.ts';
import {
  adaptiveCard, clip, columns, container, facts, fitted, kqlBlocks, showCard, submit, text,
  type AdaptiveCard, type CardAction, type CardElement,
} from './elements.ts';

export interface HuntCardContext {
  /** The exact query that ran, for "Show KQL". */
  kql: string;
  hunt: Hunt;
  skill: Skill;
}

/** The Show KQL part of a result card gets at most this much of the card's budget. */
const KQL_BYTES = 30 * 1024;
const BAR_CELLS = 12;
const DAY_MS = 86_400_000;

/**
 * A hunt's answer: what was asked, totals, top ports and processes, one page of groups (flagged first, with
 * their reasons) and buttons to narrow it. Rows are dropped, and the card says so, if it would pass 80 KB.
 */
export function huntCard(summary: HuntSummary, ctx: HuntCardContext): AdaptiveCard {
  const pageRows = summary.shape === 'connections' ? summary.groups.length : summary.table?.rows.length ?? 0;
  return fitted(pageRows, (shown) => adaptiveCard(
    [...heading(summary), ...overview(summary), ...rowsSection(summary, shown, pageRows)],
    [
      ...(summary.page.hasMore
        ? [submit(`Next page (${summary.page.page + 1} of ${summary.page.pageCount})`, { verb: 'nextPage', text: 'next page' })]
        : []),
      showKql(ctx.kql),
      refine(),
      ...followUps(summary, ctx),
    ],
  ));
}

/** Filters a user may have set, most likely first to explain an empty result (a mistyped device name). */
const NARROWING: [Slot[], string, string][] = [
  [['device'], 'device', 'drop the device filter'],
  [['includeProcesses'], 'process', 'drop the process filter'],
  [['ports', 'excludePorts'], 'port', 'drop the port filter'],
  [['remoteIps'], 'remote IP', 'drop the IP filter'],
  [['actionTypes'], 'outcome', 'drop the outcome filter'],
];

/** Nothing matched: say so, offer to drop the filters the user set, and to widen the hunt where the skill allows it. */
export function noResultsCard(summary: HuntSummary, ctx: HuntCardContext): AdaptiveCard {
  const widen: CardAction[] = [];
  const set = NARROWING.filter(([slots]) => slots.some((slot) => { const i = inputFor(ctx.skill, slot); return i !== undefined && i.name in ctx.hunt.parameters; }));
  for (const [, label, sentence] of set) widen.push(submit(`Drop the ${label} filter`, { verb: 'refine', text: sentence }));
  const lookback = lookbackMs(ctx.skill, ctx.hunt);
  if (inputFor(ctx.skill, 'lookback') && !(lookback !== undefined && lookback >= 30 * DAY_MS)) {
    widen.push(submit('Last 30 days', { verb: 'refine', text: 'last 30 days' }));
  }
  const ipTypes = inputFor(ctx.skill, 'ipTypes');
  const types = ipTypes ? ctx.hunt.parameters[ipTypes.name] ?? ipTypes.defaultValue : undefined;
  if (Array.isArray(types) && !types.some((t) => String(t).toLowerCase() === 'private')) {
    widen.push(submit('Include private IPs too', { verb: 'refine', text: 'include private IPs too' }));
  }
  return adaptiveCard(
    [
      ...heading(summary),
      text('Nothing matched this hunt.', { weight: 'Bolder', spacing: 'Medium' }),
      ...(set.length ? [text(`Check the ${set.map(([, label]) => label).join(' and ')} you asked for: a name that no event has matches nothing.`)] : []),
      text(widen.length ? 'Widen it with a button below, or refine it in your own words.' : 'Refine it in your own words, or ask something else.'),
    ],
    [...widen, showKql(ctx.kql), refine()],
  );
}

function heading(summary: HuntSummary): CardElement[] {
  const reading = summary.lookbackText && !summary.explanation.includes(summary.lookbackText)
    ? `${summary.explanation} · ${summary.lookbackText}`
    : summary.explanation;
  const out = [text(summary.title, { size: 'Medium', weight: 'Bolder' }), text(reading, { isSubtle: true, spacing: 'None' })];
  if (summary.truncated) {
    out.push(text(`The engine stopped at ${summary.totals.groups.toLocaleString('en-US')} result rows, so the totals cover only those: narrow the hunt to see everything.`, { color: 'Warning' }));
  }
  if (summary.partialError) out.push(text(`Partial result: ${clip(summary.partialError, 300)}`, { color: 'Warning' }));
  return out;
}

function overview(summary: HuntSummary): CardElement[] {
  const t = summary.totals;
  const n = (v: number) => v.toLocaleString('en-US');
  const pairs: [string, string][] = [];
  if (summary.shape === 'generic') pairs.push(['Rows', n(t.groups)]);
  else {
    pairs.push(['Connections', n(t.connections ?? 0)], ['Devices', n(t.devices ?? 0)], ['Remote IPs', n(t.remoteIps ?? 0)],
      ['Processes', n(t.processes ?? 0)], ['Result groups', n(t.groups)]);
  }
  if (t.firstSeen && t.lastSeen) pairs.push(['Time range', `${shortTime(t.firstSeen)} – ${shortTime(t.lastSeen)} UTC`]);
  if (summary.flagged.length) pairs.push(['Flagged', `${n(summary.flagged.length)} ${summary.flagged.length === 1 ? 'group' : 'groups'}`]);
  const out = [facts(pairs)];
  if (summary.topPorts.length || summary.topProcesses.length) {
    out.push(columns([
      { width: 'stretch', items: [text('Top remote ports', { weight: 'Bolder' }), ...summary.topPorts.map(barRow)] },
      { width: 'stretch', items: [text('Top processes', { weight: 'Bolder' }), ...summary.topProcesses.map(barRow)] },
    ], { spacing: 'Medium' }));
  }
  return out;
}

/** A bar chart row made of text: Chart elements are Teams-only and outside the schema. */
function barRow(entry: TopEntry, _i: number, all: TopEntry[]): CardElement {
  const max = Math.max(...all.map((e) => e.connections), 1);
  const eighths = Math.max(1, Math.round((entry.connections / max) * BAR_CELLS * 8));
  const bar = '█'.repeat(Math.floor(eighths / 8)) + (['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '');
  return columns([
    { width: 3, items: [text(clip(entry.value, 30), { size: 'Small' })] },
    { width: 3, items: [text(bar, { size: 'Small', color: 'Accent', fontType: 'Monospace' })] },
    { width: 2, items: [text(`${entry.connections.toLocaleString('en-US')} · ${Math.round(entry.share * 100)}%`, { size: 'Small', wrap: false })] },
  ], { spacing: 'None' });
}

function rowsSection(summary: HuntSummary, shown: number, pageRows: number): CardElement[] {
  const out: CardElement[] = [];
  const { page } = summary;
  if (summary.shape === 'connections') {
    const groups = summary.groups.slice(0, shown);
    if (summary.flagged.length) {
      out.push(text(`⚠ ${summary.flagged.length} flagged ${summary.flagged.length === 1 ? 'group comes' : 'groups come'} first`, { color: 'Attention', weight: 'Bolder', spacing: 'Medium' }));
    }
    out.push(connectionsTable(groups));
    const flaggedHere = groups.filter((g) => g.reasons.length > 0);
    if (flaggedHere.length) out.push(container(flaggedHere.map(reasonsOf), { spacing: 'Medium' }));
  } else if (summary.table) {
    out.push(genericTable(summary.table.columns, summary.table.rows.slice(0, shown)));
  }
  const total = summary.totals.groups;
  out.push(text(`Groups ${Math.min(page.offset + 1, total)}–${page.offset + shown} of ${total.toLocaleString('en-US')} · page ${page.page} of ${page.pageCount}`, { isSubtle: true, size: 'Small' }));
  if (shown < pageRows) {
    out.push(text(`Showing ${shown} of this page's ${pageRows} groups to stay under Teams' card size limit: narrow the hunt to see the rest.`, { color: 'Warning', size: 'Small' }));
  }
  return out;
}

function connectionsTable(groups: ConnectionGroup[]): CardElement {
  const header = ['Device', 'Remote IP', 'Port', 'Process', 'Connections', 'First seen (UTC)', 'Last seen (UTC)'];
  return table([3, 3, 1, 3, 2, 2, 2], header, groups.map((g) => {
    const flagged = g.reasons.length > 0;
    return {
      flagged,
      cells: [
        `${flagged ? '⚠ ' : ''}${g.DeviceName}`, g.RemoteIP, g.RemotePort === undefined ? '' : String(g.RemotePort),
        g.InitiatingProcessFileName, g.Connections.toLocaleString('en-US'),
        g.FirstSeen ? shortTime(g.FirstSeen) : '', g.LastSeen ? shortTime(g.LastSeen) : '',
      ],
    };
  }));
}

function genericTable(names: string[], rows: Record<string, unknown>[]): CardElement {
  return table(names.map(() => 1), names, rows.map((row) => ({ flagged: false, cells: names.map((c) => valueText(row[c])) })));
}

function table(widths: number[], header: string[], rows: { flagged: boolean; cells: string[] }[]): CardElement {
  const cell = (value: string, props: Record<string, unknown>) => ({ type: 'TableCell', items: [text(clip(value), { size: 'Small', ...props })] });
  return {
    type: 'Table',
    spacing: 'Medium',
    firstRowAsHeader: true,
    showGridLines: false,
    columns: widths.map((width) => ({ type: 'TableColumnDefinition', width })),
    rows: [
      { type: 'TableRow', cells: header.map((h) => cell(h, { weight: 'Bolder' })) },
      ...rows.map((r) => ({
        type: 'TableRow',
        ...(r.flagged ? { style: 'attention' } : {}),
        cells: r.cells.map((c) => cell(c, r.flagged ? { color: 'Attention' } : {})),
      })),
    ],
  };
}

function reasonsOf(g: ConnectionGroup): CardElement {
  const port = g.RemotePort === undefined ? '' : `:${g.RemotePort}`;
  return container([
    text(`⚠ ${clip(g.DeviceName, 40)} → ${g.RemoteIP}${port} · ${clip(g.InitiatingProcessFileName, 40)}`, { weight: 'Bolder', color: 'Attention', size: 'Small' }),
    ...g.reasons.map((r) => text(`• ${r}`, { size: 'Small', spacing: 'None' })),
    ...(g.ProcessCommandLine && g.ProcessCommandLine !== g.InitiatingProcessFileName ? [text(`Command line: ${clip(g.ProcessCommandLine, 160)}`, { size: 'Small', spacing: 'None', isSubtle: true })] : []),
  ], { spacing: 'Small' });
}

/** Quick follow-ups, offered only when the skill has the input they change and they would change the result. */
function followUps(summary: HuntSummary, ctx: HuntCardContext): CardAction[] {
  const out: CardAction[] = [];
  const refineWith = (title: string, sentence: string) => out.push(submit(title, { verb: 'refine', text: sentence }));
  const [process] = summary.topProcesses;
  if (inputFor(ctx.skill, 'excludeProcesses') && summary.topProcesses.length > 1) refineWith(`Exclude ${clip(process.value, 30)}`, `exclude ${process.value}`);
  const [port] = summary.topPorts;
  if (inputFor(ctx.skill, 'ports') && summary.topPorts.length > 1) refineWith(`Only port ${port.value}`, `only port ${port.value}`);
  // The first flagged device is the likelier next step than the busiest one.
  const device = summary.flagged[0]?.DeviceName ?? summary.topDevices[0]?.value;
  if (inputFor(ctx.skill, 'device') && summary.topDevices.length > 1 && device) refineWith(`Only ${clip(device, 30)}`, `only device ${device}`);
  const lookback = lookbackMs(ctx.skill, ctx.hunt);
  if (inputFor(ctx.skill, 'lookback') && !(lookback !== undefined && lookback <= DAY_MS)) refineWith('Last 24 hours', 'last 24 hours');
  return out;
}

function showKql(kql: string): CardAction {
  return showCard('Show KQL', [text('The query that ran', { weight: 'Bolder' }), ...kqlBlocks(kql, KQL_BYTES)]);
}

function refine(): CardAction {
  return showCard('Refine', [{
    type: 'Input.Text',
    id: 'text',
    label: 'Narrow or change the hunt',
    placeholder: 'e.g. only powershell.exe, exclude port 8080, last 24 hours',
    isRequired: true,
    errorMessage: 'Type how to change the hunt',
  }], [submit('Refine', { verb: 'refine' })]);
}

/** The hunt's lookback in ms; undefined when the skill has none, it is not a simple timespan, or an absolute range replaces it. */
function lookbackMs(skill: Skill, hunt: Hunt): number | undefined {
  const input = inputFor(skill, 'lookback');
  if (!input) return undefined;
  const absolute = (['startTime', 'endTime'] as const).some((s) => { const i = inputFor(skill, s); return i !== undefined && i.name in hunt.parameters; });
  if (absolute) return undefined;
  return timespanMs(String(hunt.parameters[input.name] ?? input.defaultValue ?? ''));
}

function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return shortTime(v);
  return String(v);
}
