import { isHuntError } from '../errors.ts';
import { effectiveParameters } from '../skills/render.ts';
import type { ParamValue, Skill, Slot } from '../skills/types.ts';

// One line saying how a hunt reads, built by slot so any skill with slots gets it:
// "Detect outbound malicious traffic: Public IPs · ports above 1024 · last 7 days · only powershell.exe".

const DAY = 86_400_000;

/** "a", "a and b", "a, b and c". */
function join(values: (string | number)[], last = 'and'): string {
  const items = values.map(String);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

const list = (v: ParamValue | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function span(lookback: string): string {
  const m = /^(\d+)(ms|m|h|d|s)$/.exec(lookback);
  if (!m) return `last ${lookback}`;
  const n = Number(m[1]);
  const unit = { ms: 'millisecond', s: 'second', m: 'minute', h: 'hour', d: 'day' }[m[2]]!;
  return n === 1 ? `last ${unit}` : `last ${n} ${unit}s`;
}

function when(iso: string): string {
  const t = Date.parse(iso);
  const text = new Date(t).toISOString();
  return t % DAY === 0 ? text.slice(0, 10) : `${text.slice(0, 16).replace('T', ' ')} UTC`;
}

function timeRange(start: string | undefined, end: string | undefined): string | undefined {
  if (start && end) {
    const [s, e] = [Date.parse(start), Date.parse(end)];
    if (s % DAY === 0 && e % DAY === 0) {
      return e - s === DAY ? `on ${when(start)}` : `${when(start)} to ${when(new Date(e - DAY).toISOString())}`;
    }
    return `from ${when(start)} to ${when(end)}`;
  }
  if (start) return `since ${when(start)}`;
  if (end) return `before ${when(end)}`;
  return undefined;
}

function portRange(min: number | undefined, max: number | undefined): string | undefined {
  if (min === undefined && max === undefined) return undefined;
  const low = min ?? 0;
  if (max === undefined) return low === 0 ? 'all ports' : `ports above ${low - 1}`;
  if (low === 0) return `ports below ${max + 1}`;
  return low === max ? `port ${low}` : `ports ${low}–${max}`;
}

/** Phrases for slot values, in reading order. */
export function describeSlots(values: Partial<Record<Slot, ParamValue>>): string[] {
  const v = values;
  const ports = list(v.ports);
  const parts = [
    v.ipTypes !== undefined ? `${join(list(v.ipTypes))} IPs` : undefined,
    v.remoteIps !== undefined ? `to ${join(list(v.remoteIps))}` : undefined,
    ports.length > 0 ? `${ports.length === 1 ? 'port' : 'ports'} ${join(ports)}` : portRange(v.minPort as number | undefined, v.maxPort as number | undefined),
    v.excludePorts !== undefined ? `not ${list(v.excludePorts).length === 1 ? 'port' : 'ports'} ${join(list(v.excludePorts))}` : undefined,
    v.device !== undefined ? `device ${String(v.device)}` : undefined,
    v.includeProcesses !== undefined ? `only ${join(list(v.includeProcesses))}` : undefined,
    v.excludeProcesses !== undefined ? `excluding ${join(list(v.excludeProcesses))}` : undefined,
    v.actionTypes !== undefined ? `outcome ${join(list(v.actionTypes), 'or')}` : undefined,
    v.lookback !== undefined ? span(String(v.lookback)) : undefined,
    timeRange(v.startTime as string | undefined, v.endTime as string | undefined),
    v.top !== undefined ? `top ${String(v.top)}` : undefined,
  ];
  return parts.filter((p): p is string => p !== undefined);
}

/**
 * How a hunt reads, from its effective parameters (defaults applied). Inputs without a slot are listed as
 * "Name value"; the page size is mentioned only when it differs from the default.
 */
export function describeHunt(skill: Skill, parameters: Record<string, ParamValue>): string {
  let effective = parameters;
  try {
    effective = effectiveParameters(skill, { skill: skill.name, parameters });
  } catch (e) {
    // A hunt with a bad value is still described as given; rendering reports the problem.
    if (!isHuntError(e)) throw e;
  }
  const bySlot: Partial<Record<Slot, ParamValue>> = {};
  const others: string[] = [];
  for (const input of skill.inputs) {
    const value = effective[input.name];
    if (value === undefined) continue;
    if (!input.slot) others.push(`${input.name} ${join(list(value))}`);
    else if (!(input.slot === 'top' && value === input.defaultValue)) bySlot[input.slot] = value;
  }
  const parts = [...describeSlots(bySlot), ...others];
  return parts.length === 0 ? skill.displayName : `${skill.displayName}: ${parts.join(' · ')}`;
}
