import { EXCLUDE_CUE, LIST_SEPARATOR, type Extractor } from './types.ts';

// Process file names, as Defender's InitiatingProcessFileName holds them: lower-case with the extension
// ("chrome" -> "chrome.exe"). A bare word counts as a process only if it is a well-known executable;
// anything with an executable extension counts.

/** Common Windows executables, written without ".exe". */
export const KNOWN_PROCESSES = new Set([
  'chrome', 'firefox', 'msedge', 'iexplore', 'opera', 'brave', 'powershell', 'pwsh', 'cmd', 'svchost', 'teams', 'outlook',
  'winword', 'excel', 'powerpnt', 'onenote', 'rundll32', 'regsvr32', 'mshta', 'wscript', 'cscript', 'certutil', 'bitsadmin',
  'explorer', 'lsass', 'wmic', 'curl', 'wget', 'python', 'pythonw', 'java', 'javaw', 'onedrive', 'msiexec', 'psexec',
  'mimikatz', 'notepad', 'tor', 'putty', 'plink', 'zoom', 'slack', 'dropbox', 'spoolsv', 'taskhostw', 'conhost', 'dllhost',
  'msmpeng', 'skype', 'discord', 'anydesk', 'teamviewer', 'winscp', 'filezilla', 'rclone', 'ngrok', 'ncat', 'netcat', 'nmap',
  'msbuild', 'installutil', 'regasm', 'schtasks', 'netsh', 'whoami', 'mstsc', 'werfault', 'smartscreen', 'sqlservr', 'w3wp',
]);
/** Names people say for a process whose file has another name. */
const ALIASES: Record<string, string> = { edge: 'msedge.exe', 'ms-teams': 'ms-teams.exe' };

const WITH_EXTENSION = String.raw`[A-Za-z0-9_][\w-]*\.(?:exe|dll|msi|bat|cmd|ps1|vbs|js|scr|hta|jar|py)\b`;
const KNOWN = `(?:${[...KNOWN_PROCESSES, ...Object.keys(ALIASES)].sort((a, b) => b.length - a.length).join('|')})`;
const PROCESS = String.raw`(?:${WITH_EXTENSION}|\b${KNOWN}\b(?![.-]\w))`;
const PROCESS_LIST = String.raw`${PROCESS}(?:${LIST_SEPARATOR}${PROCESS})*`;

export const PROCESS_WORDS = ['process', 'processes', 'exclude', 'excluding', 'except', 'without', 'include', 'including'];

/** "Chrome" -> "chrome.exe", "Edge" -> "msedge.exe", "Teams.exe" -> "teams.exe". */
export function processFileName(name: string): string {
  const n = name.toLowerCase();
  return ALIASES[n] ?? (/\.\w+$/.test(n) ? n : `${n}.exe`);
}

function namesIn(list: string): string[] {
  return [...new Set((list.match(new RegExp(PROCESS, 'gi')) ?? []).map(processFileName))];
}

export const extractProcesses: Extractor = (ctx) => {
  const { scan, out } = ctx;
  scan.take(new RegExp(String.raw`\b${EXCLUDE_CUE}\s+(?:the\s+)?(?:process(?:es)?\s+)?(?:named\s+|called\s+)?(${PROCESS_LIST})`, 'gi'), (m) => {
    const values = namesIn(m[1]);
    out.edits.push({ op: 'add', slot: 'excludeProcesses', values }, { op: 'remove', slot: 'includeProcesses', values });
  });
  const included: string[] = [];
  scan.take(new RegExp(PROCESS, 'gi'), (m) => void included.push(processFileName(m[0])));
  // "process named updater" names a process that is not on the well-known list.
  scan.take(/\b(?:process(?:es)?|binary|executable|image)\s+(?:named|called)\s+([a-z][\w-]{1,40})\b(?![.-]\w)/gi, (m) => {
    included.push(processFileName(m[1]));
  });
  if (included.length === 0) return;
  const values = [...new Set(included)];
  out.edits.push(ctx.additive ? { op: 'add', slot: 'includeProcesses', values } : { op: 'set', slot: 'includeProcesses', value: values });
  out.edits.push({ op: 'remove', slot: 'excludeProcesses', values });
};
