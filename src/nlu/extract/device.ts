import { STOP_WORDS } from '../text.ts';
import { EXCLUDE_CUE, type Extractor } from './types.ts';

// Device names are kept as typed (the template matches short names and FQDNs case-insensitively).
// "device X", "host X", "machine X" mark a device explicitly; otherwise a word counts only if it looks like a
// host name (letters with digits or hyphens: WS-0042, fin-laptop-3) and follows on/from/for/about, or has digits.

const NAME = String.raw`(?<![\w.-])([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)(?![\w-])`;
const MARKER = String.raw`(?:device|host|hostname|machine|computer|endpoint|workstation|server|laptop|desktop)`;
/** Tokens with digits that are not host names. */
const NOT_HOSTS = /^(?:ipv[46]|sha-?\d+|md5|x64|x86|win(?:32|64)|tls[\d.]*|http[s\d]*|rfc\d+|\d+(?:st|nd|rd|th|s|k)|[0-9a-f]{16,}|\d+(?:\.\d+)*)$/i;
const HYPHEN_WORDS = new Set(['non-standard', 'well-known', 'e-mail', 'follow-up', 'built-in', 'cross-site', 'end-point']);

export const DEVICE_WORDS = ['device', 'devices', 'host', 'hostname', 'machine', 'machines', 'computer', 'endpoint', 'workstation', 'server'];

function looksLikeHost(name: string, needDigit: boolean): boolean {
  if (!/[A-Za-z]/.test(name) || NOT_HOSTS.test(name) || HYPHEN_WORDS.has(name.toLowerCase())) return false;
  return needDigit ? /\d/.test(name) && name.length >= 3 : /[\d-]/.test(name);
}

export const extractDevice: Extractor = (ctx) => {
  const { scan, out } = ctx;
  const found: string[] = [];
  scan.take(new RegExp(String.raw`\b${MARKER}s?(?:\s+name)?\s+(?:contains|containing|starts\s+with|starting\s+with|ends\s+with|like|matching|matches|has)\b`, 'gi'), () => {
    out.problems.push('I can only match a whole device name (short name or FQDN), not part of one.');
  });
  // No slot leaves a device out: say so rather than read "exclude WS-0042" as "only WS-0042".
  scan.take(new RegExp(String.raw`\b${EXCLUDE_CUE}\s+(?:on\s+|from\s+)?(?:the\s+)?(?:${MARKER}\s+)?${NAME}`, 'gi'), (m) => {
    if (!looksLikeHost(m[1], false)) return false;
    out.problems.push(`I can't leave out a device yet (${m[1]}); I can limit the hunt to one device.`);
  });
  scan.take(new RegExp(String.raw`\b${MARKER}(?:\s+(?:named|called|name|is|=|:))*\s+${NAME}`, 'gi'), (m) => {
    const name = m[1];
    // "device filter", "machine connecting": ordinary words after the marker are not names.
    if (!/[\d-]/.test(name) && (STOP_WORDS.has(name.toLowerCase()) || ctx.isWord(name))) return false;
    found.push(name);
  });
  scan.take(new RegExp(String.raw`\b(?:on|from|for|about|at|of|and)\s+(?:the\s+)?${NAME}`, 'gi'), (m) => {
    if (!looksLikeHost(m[1], false)) return false;
    found.push(m[1]);
  });
  scan.take(new RegExp(NAME, 'g'), (m) => {
    if (!looksLikeHost(m[1], true)) return false;
    found.push(m[1]);
  });
  const names = [...new Map(found.map((n) => [n.replace(/\.$/, '').toLowerCase(), n.replace(/\.$/, '')])).values()];
  if (names.length > 1) out.problems.push(`I can filter on one device at a time (you named ${names.join(', ')}).`);
  else if (names.length === 1) out.edits.push({ op: 'set', slot: 'device', value: names[0] });
};
