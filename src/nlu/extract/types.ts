import type { ParamValue, Slot } from '../../skills/types.ts';
import type { Scan } from '../text.ts';

/** One change a prompt asks for, by slot: the mapper applies it to whichever input of the skill has that slot. */
export type Edit =
  | { op: 'set'; slot: Slot; value: ParamValue }
  /** Append to the list the hunt has now (or the input's default): "include private IPs too". */
  | { op: 'add'; slot: Slot; values: string[] | number[] }
  /** Take items out of that list: "exclude private IPs", or a process moving from included to excluded. */
  | { op: 'remove'; slot: Slot; values: string[] }
  /** Every allowed value: "any IP type". */
  | { op: 'all'; slot: Slot }
  /** Forget the user's value, so the default applies again: "drop the device filter". */
  | { op: 'clear'; slot: Slot };

/** What the extractors read from one prompt. */
export interface Reading {
  edits: Edit[];
  /** Things the user asked for that no slot can express, or values that are out of range: answered with a clarify. */
  problems: string[];
}

export interface ExtractContext {
  scan: Scan;
  now: Date;
  /** "too", "also", "include": lists grow instead of being replaced. */
  additive: boolean;
  /** Whether a word is one the skills or the extractors use (so it is not a device or process name). */
  isWord: (word: string) => boolean;
  out: Reading;
}

export type Extractor = (ctx: ExtractContext) => void;

/** Words joining the items of a list: "80, 443 and 8080", "teams.exe or msedge.exe". */
export const LIST_SEPARATOR = String.raw`\s*(?:,\s*(?:and\b|or\b)?|\band\b|\bor\b|\bnor\b|&|\/)\s*`;

/** A cue that the values after it are to be left out ("no" before a number is "port no 123"). */
export const EXCLUDE_CUE = String.raw`(?:exclude|excluding|except(?:\s+for)?|not|without|but\s+not|other\s+than|ignore|ignoring|minus|hide|remove|drop|filter\s+out|leave\s+out|no(?!\.?\s*\d))`;
