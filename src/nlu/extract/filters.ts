import type { Slot } from '../../skills/types.ts';
import { EXCLUDE_CUE, type Extractor } from './types.ts';

// Everything except the time, ports, addresses, processes and device: outcomes, the page size, and removing filters.

const OUTCOMES: [RegExp, string][] = [
  [/^(?:failed|failing|failures?|unsuccessful|refused|rejected)$/i, 'ConnectionFailed'],
  [/^(?:successful|succeeded|success|established|completed)$/i, 'ConnectionSuccess'],
  [/^connection\s+requests?$/i, 'ConnectionRequest'],
  [/^connection\s+attempts?$/i, 'ConnectionAttempt'],
  [/^(?:accepted|inbound\s+connections?\s+accepted)$/i, 'InboundConnectionAccepted'],
  [/^listening$/i, 'ListeningConnectionCreated'],
];
const OUTCOME = String.raw`(?:failed|failing|failures?|unsuccessful|refused|rejected|successful|succeeded|success|established|completed|connection\s+requests?|connection\s+attempts?|accepted|listening)`;

/** What "the device filter", "the port filter" ... refer to. */
const FILTERS: [RegExp, Slot[]][] = [
  [/^(?:device|host|machine|computer)s?$/i, ['device']],
  [/^(?:process|application|app)(?:es|s)?$/i, ['includeProcesses', 'excludeProcesses']],
  [/^(?:exclusions?|excludes?)$/i, ['excludeProcesses']],
  [/^(?:port|port\s+range)s?$/i, ['ports', 'excludePorts', 'minPort', 'maxPort']],
  [/^(?:time|date|time\s+range|date\s+range|lookback|period|time\s+window)s?$/i, ['lookback', 'startTime', 'endTime']],
  [/^ip\s+types?$/i, ['ipTypes']],
  [/^(?:ip|ip\s+address|address|remote\s+ip)(?:es|s)?$/i, ['remoteIps']],
  [/^(?:outcome|action\s+type|result\s+type|status)(?:es|s)?$/i, ['actionTypes']],
];
const FILTER_NAME = String.raw`(?:device|host|machine|computer|process|application|app|exclusion|exclude|port\s+range|port|time\s+range|date\s+range|time\s+window|time|date|lookback|period|ip\s+types?|ip\s+address|remote\s+ip|ip|address|outcome|action\s+type|result\s+type|status)(?:es|s)?`;
const ALL_SLOTS: Slot[] = ['lookback', 'startTime', 'endTime', 'minPort', 'maxPort', 'ports', 'excludePorts', 'ipTypes', 'remoteIps', 'device', 'includeProcesses', 'excludeProcesses', 'actionTypes', 'top'];

export const FILTER_WORDS = ['drop', 'remove', 'clear', 'filter', 'filters', 'failed', 'successful', 'failures', 'connection', 'requests', 'attempts', 'listening', 'accepted', 'top', 'first'];

export const extractFilters: Extractor = (ctx) => {
  const { scan, out } = ctx;
  const clear = (slots: Slot[]) => {
    out.edits.push(...slots.map((slot) => ({ op: 'clear' as const, slot })));
  };
  scan.take(/\b(?:drop|remove|clear|reset|delete|forget|lose|undo)\s+(?:all\s+)?(?:the\s+)?(?:filters|conditions|restrictions)\b|\b(?:drop|remove|clear)\s+(?:all|everything)\b/gi, () => clear(ALL_SLOTS));
  scan.take(new RegExp(String.raw`\b(?:drop|remove|clear|reset|delete|forget|lose|undo|without|no)\s+(?:the\s+|any\s+|all\s+|my\s+)?(${FILTER_NAME})\s*(?:filters?|limits?|restrictions?|conditions?)?\b`, 'gi'), (m) => {
    const name = m[1].replace(/\s+/g, ' ');
    const slots = FILTERS.find(([re]) => re.test(name))?.[1];
    if (!slots) return false;
    clear(slots);
  });
  scan.take(/\b(?:any|all|every)\s+(?:devices?|hosts?|machines?|computers?)\b/gi, () => clear(['device']));
  scan.take(/\b(?:any|all|every)\s+(?:process(?:es)?|applications?|apps?)\b/gi, () => clear(['includeProcesses', 'excludeProcesses']));
  scan.take(/\b(?:any|all|every)\s+(?:outcomes?|results?|statuse?s?)\b/gi, () => clear(['actionTypes']));
};

export const extractOutcomes: Extractor = (ctx) => {
  const { scan, out } = ctx;
  const values: string[] = [];
  scan.take(new RegExp(String.raw`\b(?:(${EXCLUDE_CUE})\s+)?(${OUTCOME})\b`, 'gi'), (m) => {
    if (m[1]) {
      out.problems.push(`I can't leave out an outcome yet; I can limit to one, for example "only failed connections" or "only successful connections".`);
      return;
    }
    const value = OUTCOMES.find(([re]) => re.test(m[2].replace(/\s+/g, ' ')))![1];
    if (!values.includes(value)) values.push(value);
  });
  if (values.length > 0) out.edits.push(ctx.additive ? { op: 'add', slot: 'actionTypes', values } : { op: 'set', slot: 'actionTypes', value: values });
};

export const extractTop: Extractor = (ctx) => {
  ctx.scan.take(/\b(?:top|first|limit(?:\s+to)?)\s+(\d+)\b/gi, (m) => {
    ctx.out.edits.push({ op: 'set', slot: 'top', value: Number(m[1]) });
  });
};

function say(ctx: { out: { problems: string[] } }, message: string): void {
  if (!ctx.out.problems.includes(message)) ctx.out.problems.push(message);
}

/** File hashes: no slot has them. Read before devices, so a hash is not taken for a host name. */
export const extractHashes: Extractor = (ctx) => {
  ctx.scan.take(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b|\b(?:sha-?256|sha-?1|md5|hash(?:es)?)\b/gi, () => {
    say(ctx, "I can't filter on file hashes yet.");
  });
};

/** URLs and domains: no slot has them. Read after devices, so an FQDN device name is not taken for a domain. */
export const extractDomains: Extractor = (ctx) => {
  ctx.scan.take(/\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|ru|cn|info|biz|xyz|co|uk|de|fr|onion|gov|edu)\b|\b(?:urls?|domains?|websites?|web\s+sites?)\b/gi, () => {
    say(ctx, "I can't filter on URLs or domains yet; I can filter on remote IP addresses and ports.");
  });
};
