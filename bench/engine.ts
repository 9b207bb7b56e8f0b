// Local engine benchmark: KQL through the translator vs the same query hand-written in DuckDB SQL,
// on 1M network events generated once into .cache/bench (Parquet). Prints medians; asserts nothing.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LocalEngine } from '../src/engines/local/engine.ts';
import { loadDataDir } from '../src/engines/local/load.ts';
import { translateKql } from '../src/engines/local/translate.ts';
import { generateSample } from '../src/sample/index.ts';
import { loadSkills } from '../src/skills/manifest.ts';
import { renderHunt } from '../src/skills/render.ts';

const EVENTS = 1_000_000;
const RUNS = 5;
const NOW = new Date('2024-06-01T00:00:00Z');
const dir = resolve('.cache/bench', `sample-${EVENTS}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;
let peakRss = 0;
const sampleRss = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
const timer = setInterval(sampleRss, 50);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  sampleRss();
  return performance.now() - t;
}

if (!existsSync(join(dir, 'manifest.json'))) {
  const t = performance.now();
  await generateSample({ outDir: dir, events: EVENTS, devices: 500, days: 7, seed: 7, now: NOW, format: 'parquet' });
  console.log(`generated ${EVENTS} network events into ${dir} in ${ms(performance.now() - t)}`);
}

// One in-memory database, as LocalEngine.open builds it; the hand-written SQL runs on the same tables.
const loadStart = performance.now();
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const loaded = await loadDataDir(con, dir);
const engine = await LocalEngine.fromConnection(con, { instance });
const loadMs = performance.now() - loadStart;

const { skills } = loadSkills();
const skill = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
const seedKql = renderHunt(skill, { skill: skill.name, parameters: {} }).kql;
const since = "TIMESTAMP '2024-05-25 00:00:00'";

const cases: { name: string; kql: string; sql: string }[] = [
  {
    name: 'seed skill (defaults)',
    kql: seedKql,
    sql: `SELECT n.DeviceName, n.RemoteIP, n.RemotePort, n.InitiatingProcessFileName, count(*) AS Connections, min(n.Timestamp) AS FirstSeen, max(n.Timestamp) AS LastSeen,
      any_value(coalesce(nullif(p.ProcessCommandLine, ''), nullif(n.InitiatingProcessCommandLine, ''), '')) AS ProcessCommandLine,
      any_value(CASE WHEN p.AccountName <> '' THEN concat(p.AccountDomain, '\\', p.AccountName) ELSE concat(n.InitiatingProcessAccountDomain, '\\', n.InitiatingProcessAccountName) END) AS Account,
      any_value(coalesce(p.InitiatingProcessFileName, '')) AS ParentProcessFileName, to_json(list(DISTINCT n.ActionType)) AS ActionTypes, to_json(list_slice(list(strftime(n.Timestamp, '%Y-%m-%dT%H:%M:%SZ')), 1, 200)) AS ConnectionTimes
      FROM DeviceNetworkEvents n LEFT JOIN DeviceProcessEvents p ON n.DeviceId = p.DeviceId AND n.InitiatingProcessId = p.ProcessId AND n.InitiatingProcessCreationTime = p.ProcessCreationTime
      WHERE n.Timestamp > ${since} AND n.RemoteIPType IN ('Public') AND n.RemotePort >= 1025
      GROUP BY 1, 2, 3, 4 ORDER BY Connections DESC`,
  },
  {
    name: 'summarize by bin(1h)',
    kql: 'DeviceNetworkEvents | where Timestamp > ago(7d) | summarize Connections = count(), Devices = dcount(DeviceId) by bin(Timestamp, 1h), ActionType',
    sql: `SELECT time_bucket(INTERVAL 1 HOUR, Timestamp) AS Timestamp, ActionType, count(*) AS Connections, count(DISTINCT DeviceId) AS Devices
      FROM DeviceNetworkEvents WHERE Timestamp > ${since} GROUP BY 1, 2`,
  },
  {
    name: 'leftanti join',
    kql: 'DeviceNetworkEvents | where RemotePort >= 1025 | join kind=leftanti (DeviceProcessEvents | where FileName =~ "powershell.exe" | project DeviceId) on DeviceId | summarize count() by DeviceName',
    sql: `SELECT DeviceName, count(*) AS count_ FROM DeviceNetworkEvents n WHERE RemotePort >= 1025
      AND NOT EXISTS (SELECT 1 FROM DeviceProcessEvents p WHERE lower(p.FileName) = 'powershell.exe' AND p.DeviceId = n.DeviceId) GROUP BY 1`,
  },
  {
    name: 'has_any filter',
    kql: 'DeviceNetworkEvents | where InitiatingProcessCommandLine has_any ("powershell", "-enc", "certutil") | project Timestamp, DeviceName, RemoteIP, InitiatingProcessCommandLine',
    sql: String.raw`SELECT Timestamp, DeviceName, RemoteIP, InitiatingProcessCommandLine FROM DeviceNetworkEvents
      WHERE regexp_matches(InitiatingProcessCommandLine, '(?:^|[^\pL\pN])powershell(?:$|[^\pL\pN])|-enc(?:$|[^\pL\pN])|(?:^|[^\pL\pN])certutil(?:$|[^\pL\pN])', 'i')`,
  },
];

console.log(`\nloaded ${loaded.map((t) => `${t.table} ${t.rows}`).join(', ')}; engine load ${ms(loadMs)}`);
// "KQL" is the whole engine.run (parse, translate, execute, rows to JSON); "translated" runs only the
// translator's SQL, like "hand" runs the hand-written SQL; both read rows with getRowObjectsJson.
console.log(`${'query'.padEnd(24)} ${'KQL run'.padStart(10)} ${'translated'.padStart(11)} ${'hand SQL'.padStart(10)}  ratio run/hand  ratio translated/hand  rows`);
for (const c of cases) {
  const translated = translateKql(c.kql, { now: NOW }).sql;
  const times: [number[], number[], number[]] = [[], [], []];
  const rows = [0, 0, 0];
  for (let i = 0; i < RUNS + 1; i++) {
    const k = await time(async () => { rows[0] = (await engine.run(c.kql, { now: NOW })).rows.length; });
    const t = await time(async () => { rows[1] = (await con.runAndReadAll(translated)).getRowObjectsJson().length; });
    const s = await time(async () => { rows[2] = (await con.runAndReadAll(c.sql)).getRowObjectsJson().length; });
    if (i > 0) { times[0].push(k); times[1].push(t); times[2].push(s); } // the first round warms up
  }
  const [k, t, s] = times.map(median);
  const same = rows.every((r) => r === rows[0]) ? '' : ` (row counts differ: ${rows.join('/')})`;
  console.log(`${c.name.padEnd(24)} ${ms(k).padStart(10)} ${ms(t).padStart(11)} ${ms(s).padStart(10)}  ${(k / s).toFixed(2).padStart(14)}  ${(t / s).toFixed(2).padStart(21)}  ${rows[0]}${same}`);
}

const translateTimes: number[] = [];
for (let i = 0; i < 20; i++) translateTimes.push(await time(async () => translateKql(seedKql, { now: NOW })));
console.log(`\nparse+translate (seed skill, warm): ${ms(median(translateTimes))}`);
console.log(`load (${loaded.reduce((n, t) => n + t.rows, 0)} rows): ${ms(loadMs)}`);
clearInterval(timer);
sampleRss();
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
await engine.close();
