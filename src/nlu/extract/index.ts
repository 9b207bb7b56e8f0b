import { Scan } from '../text.ts';
import { extractDevice, DEVICE_WORDS } from './device.ts';
import { extractDomains, extractFilters, extractHashes, extractOutcomes, extractTop, FILTER_WORDS } from './filters.ts';
import { extractIpTypes, extractRemoteIps, NETWORK_WORDS } from './network.ts';
import { extractPorts, PORT_WORDS } from './ports.ts';
import { extractProcesses, PROCESS_WORDS } from './processes.ts';
import { extractTime, TIME_WORDS } from './time.ts';
import type { Extractor, Reading } from './types.ts';

export type { Edit, Reading } from './types.ts';
export { KNOWN_PROCESSES } from './processes.ts';
export { ipTypeOf } from './network.ts';

// Order matters: each extractor masks what it read. Removals first ("drop the port filter"), dates before
// ports and IPs ("2026-11-01" holds numbers), hashes and processes before devices, domains after devices.
const EXTRACTORS: Extractor[] = [
  extractFilters, extractTime, extractRemoteIps, extractHashes, extractTop, extractPorts, extractOutcomes,
  extractIpTypes, extractProcesses, extractDevice, extractDomains,
];

/** Words the extractors react to, for typo correction. */
export const KEYWORDS = [...TIME_WORDS, ...PORT_WORDS, ...NETWORK_WORDS, ...PROCESS_WORDS, ...DEVICE_WORDS, ...FILTER_WORDS];

const ADDITIVE = /\b(?:too|also|as\s+well|include|including|add|plus|in\s+addition)\b/i;

/** Reads every value in the text; returns the edits, the problems, and the text left unread. */
export function readValues(text: string, now: Date, isWord: (word: string) => boolean): Reading & { rest: string } {
  const scan = new Scan(text);
  const out: Reading = { edits: [], problems: [] };
  const additive = ADDITIVE.test(text) && !/\bonly\b/i.test(text);
  for (const extract of EXTRACTORS) extract({ scan, now, additive, isWord, out });
  return { ...out, rest: scan.text };
}
