import { isIP } from 'node:net';
import { EXCLUDE_CUE, LIST_SEPARATOR, type Extractor } from './types.ts';

// Remote addresses ("to 203.0.113.7", "in 198.51.100.0/24") and address kinds ("public", "private").

/** Defender's RemoteIPType values, and words people use for them. */
const IP_TYPES: Record<string, string> = {
  public: 'Public', external: 'Public', internet: 'Public',
  private: 'Private', internal: 'Private', rfc1918: 'Private',
  reserved: 'Reserved', loopback: 'Loopback', localhost: 'Loopback',
  teredo: 'Teredo', broadcast: 'Broadcast',
};
const IP_TYPE = `(?:${Object.keys(IP_TYPES).join('|')})`;
const IP_NOUN = String.raw`(?:\s+(?:remote\s+)?(?:ips?|ip\s+address(?:es)?|address(?:es)?|networks?|ranges?|destinations?|endpoints?|traffic))?`;

export const NETWORK_WORDS = [...Object.keys(IP_TYPES), 'address', 'addresses', 'destination', 'source', 'local', 'remote'];

/** The RemoteIPType Defender gives an address (or a CIDR's network address). */
export function ipTypeOf(address: string): string {
  const ip = address.split('/')[0].toLowerCase();
  if (isIP(ip) === 6) return ip === '::1' ? 'Loopback' : /^f[cd]/.test(ip) ? 'Private' : 'Public';
  const [a, b] = ip.split('.').map(Number);
  if (a === 127) return 'Loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
  return 'Public';
}

function validIp(text: string): boolean {
  const [address, prefix] = text.split('/');
  const version = isIP(address);
  return version !== 0 && (prefix === undefined || (version === 4 && Number(prefix) <= 32));
}

export const extractRemoteIps: Extractor = (ctx) => {
  const { scan, out } = ctx;
  const ips: string[] = [];
  // IPv4 with an optional prefix, or IPv6 (checked by node:net, so "18:42:38" is not taken).
  scan.take(/(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w:/])/gi, (m) => {
    const text = m[0];
    const isV4Shape = /^\d/.test(text) && text.includes('.');
    if (!isV4Shape && isIP(text) !== 6) return false;
    const before = scan.text.slice(Math.max(0, m.index! - 40), m.index!);
    if (!validIp(text)) out.problems.push(`${text} is not a valid IP address or IPv4 CIDR range.`);
    else if (/\b(?:source|src|local|origin)\s+(?:ip|address)/i.test(before) && !/\b(?:destination|remote|dest)\b/i.test(before)) {
      out.problems.push('I can only filter on the remote (destination) IP, not the local or source IP.');
    } else if (new RegExp(String.raw`\b${EXCLUDE_CUE}\s+(?:the\s+)?(?:ips?\s*(?:address(?:es)?)?\s*)?(?:[\d./:a-f]+${LIST_SEPARATOR})*$`, 'i').test(before)) {
      out.problems.push(`I can't exclude IP addresses yet (${text}); I can limit to remote IPs or CIDR ranges.`);
    } else ips.push(text.toLowerCase());
  });
  if (ips.length > 0) {
    const values = [...new Set(ips)];
    out.edits.push(ctx.additive ? { op: 'add', slot: 'remoteIps', values } : { op: 'set', slot: 'remoteIps', value: values });
  }
};

export const extractIpTypes: Extractor = (ctx) => {
  const { scan, out } = ctx;
  scan.take(/\b(?:all|any|every)\s+(?:remote\s+)?ip\s+(?:types?|kinds?)\b/gi, () => {
    out.edits.push({ op: 'all', slot: 'ipTypes' });
  });
  scan.take(new RegExp(String.raw`\b(?:(${EXCLUDE_CUE})\s+)?(${IP_TYPE}(?:${LIST_SEPARATOR}${IP_TYPE})*)\b${IP_NOUN}\b`, 'gi'), (m) => {
    const values = [...new Set((m[2].toLowerCase().match(new RegExp(IP_TYPE, 'g')) ?? []).map((w) => IP_TYPES[w]))];
    if (m[1]) out.edits.push({ op: 'remove', slot: 'ipTypes', values });
    else out.edits.push(ctx.additive ? { op: 'add', slot: 'ipTypes', values } : { op: 'set', slot: 'ipTypes', value: values });
  });
};
