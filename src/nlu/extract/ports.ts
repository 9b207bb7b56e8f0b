import { EXCLUDE_CUE, LIST_SEPARATOR, type Extractor, type ExtractContext } from './types.ts';

// Remote ports: exact lists ("ports 80, 443 and 8080"), ranges ("between 8000 and 9000") and bounds ("above 1024").
// "Above N" is exclusive as in English (minPort N+1); ">=", "at least" and "up to" are inclusive.

const MAX_PORT = 65535;
/** A number followed by one of these is a count or a time, not a port ("more than 5 connections"). */
const NOT_A_PORT = String.raw`(?!\.?\d|\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|connections?|events?|times?|results?|rows?|devices?|bytes?|kb|mb|gb|%|[mhdw]\b))`;
const PORT_WORD = String.raw`(?:(?:remote|destination|dest|target)\s+)?ports?\s*(?:numbers?|no\.?|nr\.?|#|:)?\s*`;
const BOUND_WORD = String.raw`(?:(?:remote|destination|dest|target)\s+)?(?:ports?\s+)?(?:numbers?\s+)?`;

export const PORT_WORDS = ['port', 'ports', 'above', 'below', 'under', 'over', 'between', 'greater', 'higher', 'lower', 'standard', 'nonstandard', 'ephemeral', 'known'];

function port(ctx: ExtractContext, text: string): number | undefined {
  const n = Number(text);
  if (n > MAX_PORT) {
    ctx.out.problems.push(`${n} is not a port number: ports go from 0 to ${MAX_PORT}.`);
    return undefined;
  }
  return n;
}

export const extractPorts: Extractor = (ctx) => {
  const { scan, out } = ctx;
  const set = (slot: 'minPort' | 'maxPort', value: number | undefined) => {
    if (value !== undefined) out.edits.push({ op: 'set', slot, value });
  };

  // "exclude 8080 and 8443": those ports are left out (and taken off an exact port list).
  scan.take(new RegExp(String.raw`\b${EXCLUDE_CUE}\s+(?:the\s+)?(?:${PORT_WORD})?(\d+(?:${LIST_SEPARATOR}(?:ports?\s+)?\d+)*)\b${NOT_A_PORT}`, 'gi'), (m) => {
    const ports = (m[1].match(/\d+/g) ?? []).map((p) => port(ctx, p));
    if (ports.some((p) => p === undefined)) return;
    const values = [...new Set(ports as number[])];
    out.edits.push({ op: 'add', slot: 'excludePorts', values }, { op: 'remove', slot: 'ports', values: values.map(String) });
  });
  scan.take(new RegExp(String.raw`\b(?:local|source|src)\s+${PORT_WORD}(?:\d+(?:${LIST_SEPARATOR}\d+)*)?`, 'gi'), () => {
    out.problems.push("I can only filter on the remote (destination) port, not the local or source port.");
  });

  // "all ports" lifts the default floor (above 1024) too; "all ports above 1024" is a bound, read below.
  scan.take(/\b(?:all|any|every)\s+(?:remote\s+)?ports?\b(?!\s*(?:>|<|above|over|below|under|between|from|greater|less|higher|lower|at|up|\d))/gi, () => {
    out.edits.push({ op: 'set', slot: 'minPort', value: 0 }, { op: 'clear', slot: 'maxPort' }, { op: 'clear', slot: 'ports' });
  });

  scan.take(new RegExp(String.raw`\b(?:${BOUND_WORD}between\s+(\d+)\s+and\s+(\d+)|ports?\s+(?:range\s+)?(?:from\s+)?(\d+)\s*(?:-|–|to|through|thru|\.\.)\s*(\d+))\b${NOT_A_PORT}`, 'gi'), (m) => {
    const [a, b] = [port(ctx, m[1] ?? m[3]), port(ctx, m[2] ?? m[4])];
    if (a === undefined || b === undefined) return;
    set('minPort', Math.min(a, b));
    set('maxPort', Math.max(a, b));
  });

  // Named classes of ports.
  scan.take(/\b(?:non[-\s]?standard|high|ephemeral|uncommon|unusual|dynamic)\s+(?:remote\s+)?ports?\b/gi, () => set('minPort', 1025));
  scan.take(/\b(?:well[-\s]?known|standard|low|common|system|privileged)\s+(?:remote\s+)?ports?\b/gi, () => set('maxPort', 1023));

  scan.take(new RegExp(String.raw`\b${BOUND_WORD}(>=|=>|≥|at\s+least|>|above|over|greater\s+than|more\s+than|higher\s+than|bigger\s+than|beyond|exceeding)\s*(\d+)\b${NOT_A_PORT}`, 'gi'), (m) => {
    const n = port(ctx, m[2]);
    if (n !== undefined) set('minPort', /^(>=|=>|≥|at\s+least)$/i.test(m[1]) ? n : Math.min(n + 1, MAX_PORT));
  });
  scan.take(new RegExp(String.raw`\bports?\s+(\d+)\s*(?:\+|and\s+(?:above|up|higher|over)|or\s+(?:above|higher|more|greater))`, 'gi'), (m) => {
    set('minPort', port(ctx, m[1]));
  });
  scan.take(new RegExp(String.raw`\b${BOUND_WORD}(<=|=<|≤|at\s+most|up\s+to|<|below|under|less\s+than|lower\s+than|smaller\s+than)\s*(\d+)\b${NOT_A_PORT}`, 'gi'), (m) => {
    const n = port(ctx, m[2]);
    if (n !== undefined) set('maxPort', /^(<=|=<|≤|at\s+most|up\s+to)$/i.test(m[1]) ? n : Math.max(n - 1, 0));
  });

  scan.take(new RegExp(String.raw`\b${PORT_WORD}(\d+(?:${LIST_SEPARATOR}(?:ports?\s+)?\d+)*)\b${NOT_A_PORT}`, 'gi'), (m) => {
    const ports = (m[1].match(/\d+/g) ?? []).map((p) => port(ctx, p));
    if (ports.some((p) => p === undefined)) return;
    const values = [...new Set(ports as number[])];
    out.edits.push(ctx.additive ? { op: 'add', slot: 'ports', values } : { op: 'set', slot: 'ports', value: values });
  });
};
