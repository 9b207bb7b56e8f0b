/**
 * What the sample company (Contoso) runs and talks to.
 *
 * IP plan (all documentation or private ranges, never a real host):
 * - 198.51.100.0/24  benign Microsoft and company services (Microsoft 365, Windows Update, Defender, RD gateway, company SaaS)
 * - 203.0.113.0/24   benign third-party internet (search, video, news, Zoom, Spotify, Steam, GitHub, long tail of sites)
 * - 192.0.2.0/24     the injected malicious destinations only (see scenarios.ts)
 * - 10.0.0.0/8       the LAN (servers in 10.0.0.x, workstations in 10.1.x.x, printers in 10.0.5.x); 127.0.0.1 loopback
 */

export interface Executable {
  file: string;
  /** Full path as Defender's FolderPath reports it; `{user}` is the account name. */
  path: string;
  company: string;
  product: string;
  version: string;
  description: string;
  size: number;
  /** Defender's signer type for the file (InitiatingProcessSignerType), '' for unsigned files. */
  signer: 'OsVendor' | 'ThirdParty' | '';
}

const ms = (file: string, path: string, description: string, version = '10.0.22621.4317', size = 80_000): Executable =>
  ({ file, path, company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', version, description, size, signer: 'OsVendor' });
const app = (file: string, path: string, company: string, product: string, version: string, size: number, signer: Executable['signer'] = 'ThirdParty'): Executable =>
  ({ file, path, company, product, version, description: product, size, signer });

export const EXECUTABLES = {
  wininit: ms('wininit.exe', 'C:\\Windows\\System32\\wininit.exe', 'Windows Start-Up Application', undefined, 110_592),
  winlogon: ms('winlogon.exe', 'C:\\Windows\\System32\\winlogon.exe', 'Windows Logon Application', undefined, 905_216),
  services: ms('services.exe', 'C:\\Windows\\System32\\services.exe', 'Services and Controller app', undefined, 755_048),
  lsass: ms('lsass.exe', 'C:\\Windows\\System32\\lsass.exe', 'Local Security Authority Process', undefined, 84_024),
  svchost: ms('svchost.exe', 'C:\\Windows\\System32\\svchost.exe', 'Host Process for Windows Services', undefined, 57_528),
  spoolsv: ms('spoolsv.exe', 'C:\\Windows\\System32\\spoolsv.exe', 'Spooler SubSystem App', undefined, 937_984),
  wuauclt: ms('wuauclt.exe', 'C:\\Windows\\System32\\wuauclt.exe', 'Windows Update', undefined, 189_952),
  dns: ms('dns.exe', 'C:\\Windows\\System32\\dns.exe', 'Domain Name System (DNS) Server', '10.0.20348.2700', 1_294_336),
  msMpEng: ms('MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', 'Antimalware Service Executable', '4.18.24090.11', 133_432),
  msSense: ms('MsSense.exe', 'C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe', 'Windows Defender Advanced Threat Protection Service Executable', '10.8760.22621.1234', 2_801_664),
  userinit: ms('userinit.exe', 'C:\\Windows\\System32\\userinit.exe', 'Userinit Logon Application', undefined, 33_792),
  explorer: ms('explorer.exe', 'C:\\Windows\\explorer.exe', 'Windows Explorer', undefined, 5_562_368),
  cmd: ms('cmd.exe', 'C:\\Windows\\System32\\cmd.exe', 'Windows Command Processor', undefined, 323_584),
  powershell: ms('powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'Windows PowerShell', undefined, 455_680),
  mshta: ms('mshta.exe', 'C:\\Windows\\System32\\mshta.exe', 'Microsoft (R) HTML Application host', undefined, 14_336),
  regsvr32: ms('regsvr32.exe', 'C:\\Windows\\System32\\regsvr32.exe', 'Microsoft(C) Register Server', undefined, 25_600),
  certutil: ms('certutil.exe', 'C:\\Windows\\System32\\certutil.exe', 'CertUtil.exe', undefined, 1_596_928),
  mstsc: ms('mstsc.exe', 'C:\\Windows\\System32\\mstsc.exe', 'Remote Desktop Connection', undefined, 1_396_224),
  msedge: app('msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', 'Microsoft Corporation', 'Microsoft Edge', '130.0.2849.68', 4_223_544, 'OsVendor'),
  chrome: app('chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'Google LLC', 'Google Chrome', '130.0.6723.117', 2_917_176),
  firefox: app('firefox.exe', 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', 'Mozilla Corporation', 'Firefox', '132.0.1', 676_744),
  msTeams: app('ms-teams.exe', 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe', 'Microsoft Corporation', 'Microsoft Teams', '24295.605.3225.8804', 1_103_248, 'OsVendor'),
  teamsClassic: app('Teams.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', 'Microsoft Corporation', 'Microsoft Teams', '1.7.00.13456', 131_225_520, 'OsVendor'),
  oneDrive: app('OneDrive.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', 'Microsoft Corporation', 'Microsoft OneDrive', '24.201.1006.0005', 3_605_312, 'OsVendor'),
  outlook: app('OUTLOOK.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'Microsoft Corporation', 'Microsoft Outlook', '16.0.18129.20116', 43_466_624, 'OsVendor'),
  winword: app('WINWORD.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'Microsoft Corporation', 'Microsoft Word', '16.0.18129.20116', 1_618_816, 'OsVendor'),
  zoom: app('Zoom.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', 'Zoom Video Communications, Inc.', 'Zoom Workplace', '6.2.10.4938', 399_736),
  spotify: app('Spotify.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\Spotify\\Spotify.exe', 'Spotify Ltd', 'Spotify', '1.2.50.335', 23_540_224),
  steam: app('steam.exe', 'C:\\Program Files (x86)\\Steam\\steam.exe', 'Valve Corporation', 'Steam', '9.0.80.26', 4_353_896),
  vscode: app('Code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'Microsoft Corporation', 'Visual Studio Code', '1.95.2', 181_052_496),
  // The malicious tools: unsigned, in user-writable folders.
  rclone: app('rclone.exe', 'C:\\Users\\{user}\\AppData\\Local\\Temp\\rc\\rclone.exe', 'https://rclone.org', 'Rclone', '1.68.1', 61_947_392, ''),
  xmrig: app('xmrig.exe', 'C:\\ProgramData\\WinSvcHost\\xmrig.exe', 'www.xmrig.com', 'XMRig miner', '6.22.0', 8_021_504, ''),
  torBrowser: app('firefox.exe', 'C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\firefox.exe', 'Mozilla Corporation', 'Tor Browser', '128.4.0', 641_536, ''),
  tor: app('tor.exe', 'C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\TorBrowser\\Tor\\tor.exe', 'The Tor Project, Inc.', 'Tor', '0.4.8.13', 9_744_384, ''),
  ncat: app('ncat.exe', 'C:\\Users\\Public\\ncat.exe', 'Insecure.Com LLC', 'Ncat', '7.95', 474_624, ''),
} satisfies Record<string, Executable>;

export type ExecutableKey = keyof typeof EXECUTABLES;

export interface Destination {
  url: string;
  ips: readonly string[];
  /** Picked uniformly: repeat a port to make it more likely. */
  ports: readonly number[];
  protocol: 'Tcp' | 'Udp';
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const dest = (url: string, ips: string[], ports: number[], protocol: Destination['protocol'] = 'Tcp'): Destination => ({ url, ips, ports, protocol });
const WEB = [443, 443, 443, 443, 443, 443, 443, 443, 443, 80];

export const DESTINATIONS = {
  // Microsoft and company services (198.51.100.0/24).
  login: dest('login.microsoftonline.com', ['198.51.100.10', '198.51.100.11'], [443]),
  teams: dest('teams.microsoft.com', ['198.51.100.20', '198.51.100.21'], [443]),
  teamsMedia: dest('worldaz.tr.teams.microsoft.com', ['198.51.100.25', '198.51.100.26'], range(3478, 3481), 'Udp'),
  outlook: dest('outlook.office365.com', ['198.51.100.30', '198.51.100.31'], [443]),
  sharepoint: dest('contoso.sharepoint.com', ['198.51.100.40', '198.51.100.41'], [443]),
  bing: dest('www.bing.com', ['198.51.100.50'], WEB),
  windowsUpdate: dest('7.tlu.dl.delivery.mp.microsoft.com', ['198.51.100.60', '198.51.100.61', '198.51.100.62'], [443, 443, 80]),
  defenderCloud: dest('wdcp.microsoft.com', ['198.51.100.70'], [443]),
  defenderGateway: dest('winatp-gw-weu.microsoft.com', ['198.51.100.71', '198.51.100.72'], [443]),
  smartScreen: dest('nav.smartscreen.microsoft.com', ['198.51.100.75'], [443]),
  ispDns: dest('', ['198.51.100.53'], [53], 'Udp'),
  rdGateway: dest('rdg.contoso.com', ['198.51.100.90'], [443]),
  rdGatewayUdp: dest('rdg.contoso.com', ['198.51.100.90'], [3391], 'Udp'),
  companySaas: dest('ci.contoso-dev.net', ['198.51.100.110', '198.51.100.111', '198.51.100.112'], [8443, 8443, 8080]),
  // Third-party internet (203.0.113.0/24).
  google: dest('www.google.com', ['203.0.113.10'], WEB),
  gstatic: dest('fonts.gstatic.com', ['203.0.113.11'], [443]),
  googlePush: dest('mtalk.google.com', ['203.0.113.12'], [5228]),
  youtube: dest('www.youtube.com', ['203.0.113.13'], [443]),
  github: dest('github.com', ['203.0.113.20', '203.0.113.21'], [443]),
  npm: dest('registry.npmjs.org', ['203.0.113.22'], [443]),
  news: dest('www.bbc.co.uk', ['203.0.113.30', '203.0.113.31'], WEB),
  wikipedia: dest('en.wikipedia.org', ['203.0.113.32'], [443]),
  stackOverflow: dest('stackoverflow.com', ['203.0.113.33'], [443]),
  linkedin: dest('www.linkedin.com', ['203.0.113.34'], [443]),
  zoom: dest('zoom.us', ['203.0.113.40'], [443]),
  zoomMedia: dest('zoomfrn.zoom.us', ['203.0.113.41', '203.0.113.42'], [8801, 8801, 8802], 'Udp'),
  spotify: dest('ap-gew4.spotify.com', ['203.0.113.50', '203.0.113.51'], [4070, 4070, 443]),
  steam: dest('cm.steampowered.com', ['203.0.113.60', '203.0.113.61', '203.0.113.62'], range(27015, 27050), 'Udp'),
  steamStore: dest('store.steampowered.com', ['203.0.113.63'], [443]),
  firefoxPortal: dest('detectportal.firefox.com', ['203.0.113.70'], [80]),
  ocsp: dest('ocsp.digicert.com', ['203.0.113.80'], [80]),
  longTail: dest('', range(100, 199).map((n) => `203.0.113.${n}`), WEB),
  // The LAN.
  dcDns: dest('', ['10.0.0.10', '10.0.0.11'], [53], 'Udp'),
  dcAuth: dest('srv-dc-01.contoso.com', ['10.0.0.10', '10.0.0.11'], [88, 88, 389, 445, 135]),
  fileServer: dest('srv-file-01.contoso.com', ['10.0.0.20'], [445]),
  intranet: dest('intranet.contoso.com', ['10.0.0.30'], [443]),
  printer: dest('', ['10.0.5.20', '10.0.5.21'], [9100]),
  devServer: dest('localhost', ['127.0.0.1'], [9229, 5173]),
  torSocks: dest('', ['127.0.0.1'], [9150]),
} satisfies Record<string, Destination>;

export type DestinationKey = keyof typeof DESTINATIONS;

/** A program that makes connections: how busy it is (connections per hour while it runs) and where it goes. */
export interface AppProfile {
  exe: ExecutableKey;
  perHour: number;
  commandLine: string;
  destinations: readonly (readonly [DestinationKey, number])[];
}

const browsing: [DestinationKey, number][] = [
  ['bing', 6], ['google', 6], ['gstatic', 3], ['youtube', 3], ['news', 3], ['wikipedia', 2], ['stackOverflow', 2], ['linkedin', 2],
  ['sharepoint', 4], ['outlook', 2], ['login', 3], ['intranet', 3], ['github', 1], ['ocsp', 1], ['longTail', 8],
];

export const APPS = {
  msedge: { exe: 'msedge', perHour: 30, commandLine: '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --profile-directory=Default', destinations: [...browsing, ['smartScreen', 4]] },
  chrome: { exe: 'chrome', perHour: 30, commandLine: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"', destinations: [...browsing, ['google', 6], ['googlePush', 3]] },
  firefox: { exe: 'firefox', perHour: 30, commandLine: '"C:\\Program Files\\Mozilla Firefox\\firefox.exe"', destinations: [...browsing, ['firefoxPortal', 2]] },
  msTeams: { exe: 'msTeams', perHour: 14, commandLine: '"C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe" msteams:system-initiated', destinations: [['teams', 10], ['teamsMedia', 4], ['login', 1], ['sharepoint', 1]] },
  teamsClassic: { exe: 'teamsClassic', perHour: 14, commandLine: '"C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --system-initiated', destinations: [['teams', 10], ['teamsMedia', 4], ['login', 1]] },
  outlook: { exe: 'outlook', perHour: 6, commandLine: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"', destinations: [['outlook', 10], ['login', 1]] },
  oneDrive: { exe: 'oneDrive', perHour: 4, commandLine: '"C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', destinations: [['sharepoint', 10], ['login', 1]] },
  explorer: { exe: 'explorer', perHour: 1, commandLine: 'C:\\Windows\\Explorer.EXE', destinations: [['fileServer', 5], ['dcAuth', 1]] },
  zoom: { exe: 'zoom', perHour: 4, commandLine: '"C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe" "--autostart"', destinations: [['zoom', 2], ['zoomMedia', 5]] },
  spotify: { exe: 'spotify', perHour: 3, commandLine: '"C:\\Users\\{user}\\AppData\\Roaming\\Spotify\\Spotify.exe" --autostart --minimized', destinations: [['spotify', 1]] },
  steam: { exe: 'steam', perHour: 3, commandLine: '"C:\\Program Files (x86)\\Steam\\steam.exe" -silent', destinations: [['steam', 5], ['steamStore', 2]] },
  vscode: { exe: 'vscode', perHour: 5, commandLine: '"C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe"', destinations: [['companySaas', 6], ['github', 3], ['npm', 2], ['devServer', 1]] },
  mstsc: { exe: 'mstsc', perHour: 2, commandLine: '"C:\\Windows\\system32\\mstsc.exe" "C:\\Users\\{user}\\Documents\\rdg-prod.rdp"', destinations: [['rdGatewayUdp', 5], ['rdGateway', 2]] },
  // Services: running day and night from boot.
  dnsClient: { exe: 'svchost', perHour: 5, commandLine: 'C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache', destinations: [['dcDns', 1]] },
  updateService: { exe: 'svchost', perHour: 0.6, commandLine: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv', destinations: [['windowsUpdate', 5], ['ocsp', 1]] },
  defender: { exe: 'msMpEng', perHour: 0.5, commandLine: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"', destinations: [['defenderCloud', 3], ['windowsUpdate', 1]] },
  sense: { exe: 'msSense', perHour: 2, commandLine: '"C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe"', destinations: [['defenderGateway', 1]] },
  lsass: { exe: 'lsass', perHour: 1, commandLine: 'C:\\Windows\\system32\\lsass.exe', destinations: [['dcAuth', 1]] },
  spooler: { exe: 'spoolsv', perHour: 0.1, commandLine: 'C:\\Windows\\System32\\spoolsv.exe', destinations: [['printer', 1]] },
  dnsServer: { exe: 'dns', perHour: 12, commandLine: 'C:\\Windows\\system32\\dns.exe', destinations: [['ispDns', 1]] },
  // Windows Update's client, started by the update service each night for a short run.
  updateClient: { exe: 'wuauclt', perHour: 20, commandLine: '"C:\\Windows\\system32\\wuauclt.exe" /UpdateDeploymentProvider UpdateDeploymentProvider.dll /ClassId 1f9c3e12-7d8a-4c8f-9b65-1a2b3c4d5e6f /RunHandlerComServer', destinations: [['windowsUpdate', 1]] },
} satisfies Record<string, AppProfile>;

export type AppKey = keyof typeof APPS;

export const FIRST_NAMES = ['adele', 'alex', 'ben', 'carla', 'chen', 'diego', 'emma', 'fatima', 'grace', 'hiro', 'isabel', 'jonas', 'kai', 'lena', 'liam', 'maria', 'megan', 'nadia', 'omar', 'priya', 'raj', 'sara', 'tom', 'uma', 'victor', 'wei', 'yusuf', 'zoe'];
export const LAST_NAMES = ['adams', 'bauer', 'chen', 'dubois', 'evans', 'fischer', 'garcia', 'hansen', 'ito', 'jensen', 'kowalski', 'lopez', 'martin', 'nguyen', 'okafor', 'patel', 'quinn', 'rossi', 'silva', 'tanaka', 'underwood', 'vargas', 'walsh', 'young', 'zimmer'];
