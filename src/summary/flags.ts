/**
 * Which result groups the summary flags, and why. A heuristic to point an analyst at rows worth a look,
 * not a verdict: every row stays in the result. Process names are compared case-insensitively.
 *
 * Signals that flag a group on their own:
 * 1. C2 ports: 4444 (Metasploit), 1337 and 31337 ("leet", Back Orifice), 50050 (Cobalt Strike team server),
 *    6666-6669 and 6697 (IRC, old botnet C2); 8443 only when the process is not a common app (see below),
 *    because browsers and business apps use 8443 as a second HTTPS port.
 * 2. Tor ports: 9001, 9030, 9040, 9050, 9051, 9150.
 * 3. Mining-pool ports: 3333, 3334, 5555, 7777, 14433, 14444, 45560, 45700.
 * 4. Script hosts and LOLBins talking to a public IP: powershell, pwsh, cmd, wscript, cscript, mshta, rundll32,
 *    regsvr32, certutil, bitsadmin, msbuild, installutil (private and loopback peers are not flagged).
 * 5. Attack, anonymity, mining and exfiltration tools, whatever the peer: ncat, nc, nc64, netcat, tor, xmrig, rclone.
 * 6. Beaconing: at least 6 ConnectionTimes whose gaps have a coefficient of variation below 0.2
 *    ("beaconing every ~5 min"), from a process that is not a common app.
 * 7. Burst: at least 50 connections between FirstSeen and LastSeen no more than 10 minutes apart,
 *    from a process that is not a common app (a possible exfiltration).
 *
 * Context signal, reported as an extra reason on a group flagged by 1-7, and flagging a group on its own only
 * when the process is not a common app:
 * 8. Rare destination: the RemoteIP is contacted from only one device, in a result that covers at least
 *    3 devices (in a one-device hunt every destination is "rare").
 *
 * Common apps (exempt from 6-8 and from 8443): browsers, Teams, Office, OneDrive, Zoom, Slack, Spotify, Steam,
 * developer tools and the Windows and Defender services in COMMON_APPS below. They make regular, high-volume and
 * one-device connections all day; a port signal (1-3) still flags them. Extend the list for your estate.
 */
import type { ConnectionGroup } from './types.ts';

const C2_PORTS: Record<number, string> = {
  4444: 'Port 4444 is a common C2 port (Metasploit default)',
  1337: 'Port 1337 is a common C2 port',
  31337: 'Port 31337 is a common C2 port (Back Orifice)',
  50050: 'Port 50050 is the Cobalt Strike team server port',
  6666: 'Port 6666 is an IRC port, used by botnets for C2',
  6667: 'Port 6667 is an IRC port, used by botnets for C2',
  6668: 'Port 6668 is an IRC port, used by botnets for C2',
  6669: 'Port 6669 is an IRC port, used by botnets for C2',
  6697: 'Port 6697 is an IRC port, used by botnets for C2',
};
const TOR_PORTS = new Set([9001, 9030, 9040, 9050, 9051, 9150]);
const MINING_PORTS = new Set([3333, 3334, 5555, 7777, 14433, 14444, 45560, 45700]);

const LOLBINS = new Set([
  'powershell.exe', 'pwsh.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe',
  'regsvr32.exe', 'certutil.exe', 'bitsadmin.exe', 'msbuild.exe', 'installutil.exe',
]);
const TOOLS: Record<string, string> = {
  'ncat.exe': 'ncat.exe is a netcat tool, often used for reverse shells',
  'nc.exe': 'nc.exe is netcat, often used for reverse shells',
  'nc64.exe': 'nc64.exe is netcat, often used for reverse shells',
  'netcat.exe': 'netcat.exe is often used for reverse shells',
  'tor.exe': 'tor.exe is the Tor client (anonymized traffic)',
  'xmrig.exe': 'xmrig.exe is a cryptocurrency miner',
  'rclone.exe': 'rclone.exe is a sync tool often used to exfiltrate data',
};

export const COMMON_APPS = new Set([
  // browsers
  'msedge.exe', 'chrome.exe', 'firefox.exe', 'brave.exe', 'opera.exe', 'iexplore.exe', 'msedgewebview2.exe',
  // collaboration and Office
  'teams.exe', 'ms-teams.exe', 'msteams.exe', 'onedrive.exe', 'outlook.exe', 'olk.exe', 'winword.exe', 'excel.exe',
  'powerpnt.exe', 'onenote.exe', 'zoom.exe', 'slack.exe', 'webexhost.exe',
  // media and games
  'spotify.exe', 'steam.exe', 'steamwebhelper.exe',
  // developer tools
  'code.exe', 'devenv.exe', 'node.exe', 'java.exe', 'javaw.exe', 'dotnet.exe', 'idea64.exe', 'git.exe', 'git-remote-https.exe',
  // Windows and Defender services
  'svchost.exe', 'msmpeng.exe', 'mssense.exe', 'sensendr.exe', 'searchapp.exe', 'backgroundtaskhost.exe',
]);

export const BEACON_MIN_CONNECTIONS = 6;
export const BEACON_MAX_CV = 0.2;
const BURST_MIN_CONNECTIONS = 50;
const BURST_MAX_MS = 10 * 60_000;
const RARE_MIN_DEVICES = 3;

/** What the rules read from a result row. */
export type FlagInput = Omit<ConnectionGroup, 'reasons'> & { ConnectionTimes: string[] };

/** The reasons for each row, in the rows' order (an empty list: not flagged). */
export function flagReasons(rows: FlagInput[]): string[][] {
  const devicesByIp = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = devicesByIp.get(r.RemoteIP) ?? new Set<string>();
    set.add(r.DeviceName.toLowerCase());
    devicesByIp.set(r.RemoteIP, set);
  }
  const deviceCount = new Set(rows.map((r) => r.DeviceName.toLowerCase())).size;

  return rows.map((r) => {
    const process = r.InitiatingProcessFileName.toLowerCase();
    const common = COMMON_APPS.has(process);
    const port = r.RemotePort;
    const reasons: string[] = [];

    if (port !== undefined) {
      if (C2_PORTS[port]) reasons.push(C2_PORTS[port]);
      if (port === 8443 && !common) reasons.push('Port 8443 from a process that is not a browser or common app is a common C2 choice');
      if (TOR_PORTS.has(port)) reasons.push(`Port ${port} is a Tor port`);
      if (MINING_PORTS.has(port)) reasons.push(`Port ${port} is a cryptocurrency mining pool port`);
    }
    if (LOLBINS.has(process) && isPublicIp(r.RemoteIP)) {
      reasons.push(`${r.InitiatingProcessFileName} is a script host or system tool (LOLBin) talking to a public IP`);
    }
    if (TOOLS[process]) reasons.push(TOOLS[process]);
    if (!common) {
      const interval = beaconInterval(r.ConnectionTimes);
      if (interval !== undefined) reasons.push(`Beaconing every ~${formatDuration(interval)} (${r.ConnectionTimes.length} connections at regular intervals)`);
      const span = burstSpan(r);
      if (span !== undefined) reasons.push(`Burst of ${r.Connections} connections in ${formatDuration(Math.max(span, 1000))} (possible exfiltration)`);
    }
    const rare = deviceCount >= RARE_MIN_DEVICES && devicesByIp.get(r.RemoteIP)!.size === 1;
    if (rare && (reasons.length > 0 || !common)) reasons.push(`No other device connects to ${r.RemoteIP} (rare destination)`);
    return reasons;
  });
}

/** The mean gap in ms when the connection times are regular enough to look like a beacon. */
export function beaconInterval(times: string[]): number | undefined {
  if (times.length < BEACON_MIN_CONNECTIONS) return undefined;
  const ms = times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  if (ms.length < BEACON_MIN_CONNECTIONS) return undefined;
  const gaps = ms.slice(1).map((t, i) => t - ms[i]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (mean <= 0) return undefined;
  const std = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return std / mean < BEACON_MAX_CV ? mean : undefined;
}

function burstSpan(r: FlagInput): number | undefined {
  if (r.Connections < BURST_MIN_CONNECTIONS || !r.FirstSeen || !r.LastSeen) return undefined;
  const span = Date.parse(r.LastSeen) - Date.parse(r.FirstSeen);
  return span >= 0 && span <= BURST_MAX_MS ? span : undefined;
}

/** "45 s", "5 min", "2 h", "3 d": for reasons, so rounded. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** False for private, loopback, link-local, shared (CGNAT), multicast and unparseable addresses. */
export function isPublicIp(ip: string): boolean {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(ip.trim());
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (v4.slice(1).some((o) => Number(o) > 255)) return false;
    return !(a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127));
  }
  const v6 = ip.trim().toLowerCase();
  if (!v6.includes(':') || !/^[0-9a-f:]+$/.test(v6)) return false;
  return !(v6 === '::' || v6 === '::1' || /^fe[89ab]/.test(v6) || /^f[cd]/.test(v6) || v6.startsWith('ff'));
}
