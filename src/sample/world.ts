import { createHash } from 'node:crypto';
import { APPS, DESTINATIONS, EXECUTABLES, FIRST_NAMES, LAST_NAMES, type AppKey, type Destination, type Executable, type ExecutableKey } from './catalog.ts';
import { Random, WeightedIndex } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const DOMAIN = 'contoso.com';

/** `logonId` is fixed for the built-in service accounts; users get one per logon. */
export interface Account { domain: string; name: string; sid: string; upn: string; objectId: string; logonId?: number }

const SYSTEM: Account = { domain: 'nt authority', name: 'system', sid: 'S-1-5-18', upn: '', objectId: '', logonId: 999 };
const NETWORK_SERVICE: Account = { domain: 'nt authority', name: 'network service', sid: 'S-1-5-20', upn: '', objectId: '', logonId: 996 };

export interface Device {
  index: number;
  id: string;
  name: string;
  kind: 'workstation' | 'server';
  ip: string;
  user?: Account;
  osPlatform: string;
  osBuild: number;
  osVersionInfo: string;
  model: string;
  vendor: string;
  aadDeviceId: string;
  /** Programs the user starts at each logon. */
  apps: AppKey[];
  pids: Set<number>;
  sessions: Session[];
  winlogon?: Process;
  /** The update service's svchost (netsvcs), parent of wuauclt.exe and of scheduled tasks; set at boot. */
  netsvcs?: Process;
  /** DeviceInfo report times. */
  reports: number[];
}

export interface Process {
  index: number;
  device: Device;
  pid: number;
  created: number;
  parent?: Process;
  /** Whether its creation is in DeviceProcessEvents (boot roots such as wininit.exe are not). */
  logged: boolean;
  exe: Executable;
  folderPath: string;
  commandLine: string;
  account: Account;
  logonId: number;
}

export interface Session { start: number; end: number; explorer: Process; apps: Partial<Record<AppKey, Process>> }

/** A process that makes benign connections at `perHour` while it runs (`from`..`to`). */
interface Activity { process: Process; app: AppKey; from: number; to: number; perHour: number }

/** Connections as parallel columns: up to a million rows stay small. */
export interface Connections { time: number[]; process: number[]; endpoint: number[]; port: number[]; localPort: number[]; action: string[] }

export interface Endpoint { ip: string; url: string; protocol: string; ipType: 'Public' | 'Private' | 'Loopback' }

export interface WorldOptions { seed: number; devices: number; start: number; end: number }

/** The simulated company: devices, users, processes and connections, built deterministically from the seed. */
export class World {
  readonly random: Random;
  readonly start: number;
  readonly end: number;
  readonly devices: Device[] = [];
  readonly processes: Process[] = [];
  readonly endpoints: Endpoint[] = [];
  readonly connections: Connections = { time: [], process: [], endpoint: [], port: [], localPort: [], action: [] };
  private readonly endpointIndex = new Map<string, number>();
  private readonly activity: Activity[] = [];

  constructor(options: WorldOptions) {
    this.random = new Random(options.seed);
    this.start = options.start;
    this.end = options.end;
    this.createDevices(options.devices);
    for (const device of this.devices) this.boot(device);
    for (const device of this.devices) if (device.kind === 'workstation') this.planSessions(device);
  }

  get workstations(): Device[] {
    return this.devices.filter((d) => d.kind === 'workstation');
  }

  /** Starts a process; `created` is when its creation event happens. */
  spawn(device: Device, exe: ExecutableKey, opts: { parent?: Process; created: number; commandLine: string; account?: Account; logged?: boolean }): Process {
    let pid: number;
    do pid = this.random.int(100, 16000) * 4; while (device.pids.has(pid));
    device.pids.add(pid);
    const account = opts.account ?? opts.parent?.account ?? SYSTEM;
    const user = account.name;
    const p: Process = {
      index: this.processes.length, device, pid, created: Math.round(opts.created), parent: opts.parent, logged: opts.logged ?? true,
      exe: EXECUTABLES[exe], folderPath: EXECUTABLES[exe].path.replaceAll('{user}', user), commandLine: opts.commandLine.replaceAll('{user}', user),
      account, logonId: opts.parent?.account === account ? opts.parent.logonId : account.logonId ?? this.random.int(100_000, 9_999_999),
    };
    this.processes.push(p);
    return p;
  }

  /** Records one connection from `process` at `time` to one of the destination's addresses and ports. */
  connect(process: Process, time: number, destination: Destination, action = 'ConnectionSuccess'): void {
    const ip = this.random.pick(destination.ips);
    const key = `${ip}|${destination.url}|${destination.protocol}`;
    let endpoint = this.endpointIndex.get(key);
    if (endpoint === undefined) {
      endpoint = this.endpoints.length;
      this.endpoints.push({ ip, url: destination.url, protocol: destination.protocol, ipType: ipType(ip) });
      this.endpointIndex.set(key, endpoint);
    }
    const c = this.connections;
    c.time.push(Math.round(time));
    c.process.push(process.index);
    c.endpoint.push(endpoint);
    c.port.push(this.random.pick(destination.ports));
    c.localPort.push(this.random.int(49152, 65535));
    c.action.push(action);
  }

  /** The logon session running at `time`, or a new one around it (so a scenario always has a user desktop to start from). */
  sessionAt(device: Device, time: number): Session {
    const running = device.sessions.find((s) => s.start <= time && time <= s.end);
    if (running) return running;
    const next = device.sessions.find((s) => s.start > time);
    const previous = device.sessions.filter((s) => s.start <= time).at(-1);
    const start = Math.max(this.start, time - 15 * MINUTE, previous ? previous.end + MINUTE : -Infinity);
    const end = Math.min(this.end, time + 3 * HOUR, next ? next.start - MINUTE : Infinity);
    return this.logon(device, start, end, 1);
  }

  /** Draws `count` benign connections from the running programs, each as likely as its rate and running time. */
  addBenignTraffic(count: number): void {
    if (count <= 0 || this.activity.length === 0) return;
    const index = new WeightedIndex(this.activity.map((a) => a.perHour * (a.to - a.from) / HOUR));
    const outcomes = [['ConnectionSuccess', 955], ['ConnectionFailed', 35], ['ConnectionAttempt', 10]] as const;
    for (let i = 0; i < count; i++) {
      const a = this.activity[index.draw(this.random)];
      const destination = DESTINATIONS[this.random.weighted(APPS[a.app].destinations)];
      this.connect(a.process, this.random.between(a.from, a.to), destination, this.random.weighted(outcomes));
    }
  }

  private createDevices(count: number): void {
    const r = this.random;
    const domainSid = `S-1-5-21-${r.int(1e9, 4e9)}-${r.int(1e9, 4e9)}-${r.int(1e9, 4e9)}`;
    const servers = [
      { name: 'srv-dc-01', ip: '10.0.0.10' },
      { name: 'srv-file-01', ip: '10.0.0.20' },
      { name: 'srv-app-01', ip: '10.0.0.30' },
    ].slice(0, count >= 12 ? 3 : 1);
    // Workstation numbers look like an asset register: scattered, with WS-0042 (the placeholder analysts type) always there.
    const numbers = new Set([42]);
    while (numbers.size < count - servers.length) numbers.add(r.int(1, Math.max(400, count * 4)));
    const sorted = [...numbers].sort((a, b) => a - b);
    const usedNames = new Set<string>();
    const names = sorted.map((n) => ({ name: `ws-${String(n).padStart(4, '0')}`, ip: `10.1.${Math.floor(n / 200)}.${(n % 200) + 20}` }));
    for (const [i, host] of [...servers, ...names].entries()) {
      const workstation = host.name.startsWith('ws-');
      let user: Account | undefined;
      if (workstation) {
        const first = r.pick(FIRST_NAMES);
        const last = r.pick(LAST_NAMES);
        let name = `${first[0]}${last}`;
        for (let k = 2; usedNames.has(name); k++) name = `${first[0]}${last}${k}`;
        usedNames.add(name);
        user = { domain: 'contoso', name, sid: `${domainSid}-${1100 + i}`, upn: `${name}@${DOMAIN}`, objectId: r.guid() };
      }
      const hardware = workstation
        ? r.pick([['Latitude 7440', 'Dell Inc.'], ['ThinkPad T14 Gen 4', 'LENOVO'], ['EliteBook 840 G10', 'HP']])
        : r.pick([['PowerEdge R650', 'Dell Inc.'], ['Virtual Machine', 'Microsoft Corporation']]);
      const windows10 = workstation && r.chance(0.3);
      this.devices.push({
        index: i, id: r.hex(40), name: `${host.name}.${DOMAIN}`, kind: workstation ? 'workstation' : 'server', ip: host.ip, user,
        osPlatform: workstation ? (windows10 ? 'Windows10' : 'Windows11') : 'WindowsServer2022',
        osBuild: workstation ? (windows10 ? 19045 : 22631) : 20348,
        osVersionInfo: workstation ? (windows10 ? '22H2' : '23H2') : '21H2',
        model: hardware[0], vendor: hardware[1], aadDeviceId: r.guid(),
        apps: [], pids: new Set(), sessions: [], reports: [],
      });
    }
    this.assignApps();
    for (const d of this.devices) {
      for (let t = this.start + r.int(0, 6 * HOUR); t < this.end; t += DAY) d.reports.push(t);
    }
  }

  /** Everyone has a browser, Teams, Outlook and OneDrive; some have Zoom or Spotify; a few are developers, admins or gamers. */
  private assignApps(): void {
    const r = this.random;
    const ws = r.shuffle(this.workstations);
    const share = (p: number) => Math.max(1, Math.round(ws.length * p));
    for (const d of ws) {
      const browser = r.weighted([['msedge', 55], ['chrome', 35], ['firefox', 10]] as const);
      d.apps.push(browser, r.chance(0.2) ? 'teamsClassic' : 'msTeams', 'outlook', 'oneDrive', 'explorer');
      if (r.chance(0.25)) d.apps.push(browser === 'msedge' ? 'chrome' : 'msedge');
      if (r.chance(0.3)) d.apps.push('zoom');
      if (r.chance(0.25)) d.apps.push('spotify');
    }
    ws.slice(0, share(0.15)).forEach((d) => d.apps.push('vscode'));
    ws.slice(share(0.15), share(0.15) + share(0.1)).forEach((d) => d.apps.push('mstsc'));
    ws.slice(-share(0.06)).forEach((d) => d.apps.push('steam'));
  }

  /** Services start at boot (just after the sample starts) and run to the end. */
  private boot(device: Device): void {
    const r = this.random;
    const boot = this.start + r.int(MINUTE, 15 * MINUTE);
    const wininit = this.spawn(device, 'wininit', { created: boot - 8000, commandLine: 'wininit.exe', logged: false });
    const services = this.spawn(device, 'services', { parent: wininit, created: boot, commandLine: 'C:\\Windows\\system32\\services.exe' });
    const service = (app: AppKey, delay: number, account: Account = SYSTEM, parent = services): Process => {
      const p = this.spawn(device, APPS[app].exe, { parent, created: boot + delay, commandLine: APPS[app].commandLine, account });
      this.run(p, app, p.created + 1000, this.end);
      return p;
    };
    service('lsass', 300, SYSTEM, wininit);
    service('dnsClient', r.int(2000, 5000), NETWORK_SERVICE);
    device.netsvcs = service('updateService', r.int(2000, 5000));
    service('defender', r.int(5000, 9000));
    service('sense', r.int(9000, 15000));
    if (device.kind === 'workstation') {
      service('spooler', r.int(5000, 9000));
      device.winlogon = this.spawn(device, 'winlogon', { created: boot + 10_000, commandLine: 'winlogon.exe', logged: false });
    } else if (device.name.startsWith('srv-dc-')) {
      service('dnsServer', r.int(5000, 9000));
    }
    // Windows Update's client runs for a while each night.
    for (let day = Math.floor(this.start / DAY) * DAY; day < this.end; day += DAY) {
      const t = day + r.int(2 * HOUR, 5 * HOUR);
      if (t < boot + MINUTE || t + 40 * MINUTE > this.end) continue;
      const p = this.spawn(device, 'wuauclt', { parent: device.netsvcs, created: t, commandLine: APPS.updateClient.commandLine });
      this.run(p, 'updateClient', t + 1000, t + 40 * MINUTE);
    }
  }

  /** Office days: most people log on between 7:00 and 9:30 (UTC) on weekdays for a working day; a few on weekends for a short while. */
  private planSessions(device: Device): void {
    const r = this.random;
    for (let day = Math.floor(this.start / DAY) * DAY; day < this.end; day += DAY) {
      const weekday = new Date(day).getUTCDay() % 6 !== 0;
      if (!r.chance(weekday ? 0.92 : 0.12)) continue;
      const logon = weekday ? day + 7 * HOUR + r.int(0, 150) * MINUTE : day + r.int(10, 14) * HOUR + r.int(0, 59) * MINUTE;
      const length = weekday ? r.between(7.5, 10) * HOUR : r.between(1, 4) * HOUR;
      const start = Math.max(logon, this.start + 20 * MINUTE);
      const end = Math.min(logon + length, this.end);
      if (end - start >= 20 * MINUTE) this.logon(device, start, end, r.between(0.6, 1.4));
    }
  }

  /** A user's logon: userinit.exe, explorer.exe, then the user's programs within the first two minutes. */
  private logon(device: Device, start: number, end: number, activity: number): Session {
    const r = this.random;
    const userinit = this.spawn(device, 'userinit', { parent: device.winlogon, created: start, commandLine: 'C:\\Windows\\system32\\userinit.exe', account: device.user });
    const explorer = this.spawn(device, 'explorer', { parent: userinit, created: start + r.int(1500, 4000), commandLine: APPS.explorer.commandLine });
    const session: Session = { start, end, explorer, apps: { explorer } };
    for (const app of device.apps) {
      const p = app === 'explorer' ? explorer : this.spawn(device, APPS[app].exe, { parent: explorer, created: start + r.int(5000, 110_000), commandLine: APPS[app].commandLine });
      session.apps[app] = p;
      this.run(p, app, start + 2 * MINUTE, end, activity);
    }
    device.sessions.push(session);
    device.sessions.sort((a, b) => a.start - b.start);
    return session;
  }

  private run(process: Process, app: AppKey, from: number, to: number, activity = 1): void {
    if (to > from) this.activity.push({ process, app, from, to, perHour: APPS[app].perHour * activity });
  }
}

export function ipType(ip: string): Endpoint['ipType'] {
  if (ip.startsWith('127.')) return 'Loopback';
  return ip.startsWith('10.') ? 'Private' : 'Public';
}

/** Stable, realistic-looking hashes of a program (the same binary has the same hash on every device). */
export function fileHashes(exe: Executable): { sha1: string; sha256: string; md5: string } {
  const id = `${exe.path}|${exe.version}`;
  return {
    sha1: createHash('sha1').update(id).digest('hex'),
    sha256: createHash('sha256').update(id).digest('hex'),
    md5: createHash('md5').update(id).digest('hex'),
  };
}
