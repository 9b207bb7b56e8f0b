// Local engine benchmark: KQL through the translator vs the same query hand-written in DuckDB SQL,
// on 1M network events generated once into .cache/bench (Parquet). Prints medians; asserts nothing.
//
// All three timings end with the same rows as JSON (the engine's own row conversion), so they differ only in:
//   KQL run     engine.run(kql): parse + translate + execute + rows to JSON, end to end
//   translated  engine.runSql(the translator's SQL): execute + rows to JSON (no parse, no translation)
//   hand SQL    engine.runSql(hand-written SQL, same columns): execute + rows to JSON
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalEngine } from '../src/engines/local/engine.ts';
import { translateKql } from '../src/engines/local/translate.ts';
import type { QueryResult } from '../src/engines/types.ts';
import { generateSample } from '../src/sample/index.ts';
import { loadSkills } from '../src/skills/manifest.ts';
import { renderHunt } from '../src/skills/render.ts';

const EVENTS = 1_000_000;
const RUNS = 7;
const NOW = new Date('2024-06-01T00:00:00Z');
const dir = resolve('.cache/bench', `sample-${EVENTS}`);

if (process.argv.includes('--generate')) {
  await generateSample({ outDir: dir, events: EVENTS, devices: 500, days: 7, seed: 7, now: NOW, format: 'parquet' });
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

if (!existsSync(join(dir, 'manifest.json'))) {
  // In a child process, so that the generator's memory is not counted in this process's peak RSS.
  const t = performance.now();
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--generate'], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`generating the sample failed (exit ${child.status})`);
  console.log(`generated ${EVENTS} network events into ${dir} in ${ms(performance.now() - t)} (child process)`);
}

const loadStart = performance.now();
const engine = await LocalEngine.open({ dataDir: dir });
const loadMs = performance.now() - loadStart;

const { skills } = loadSkills();
const skill = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
const seedKql = renderHunt(skill, { skill: skill.name, parameters: {} }).kql;
const since = "TIMESTAMP '2024-05-25 00:00:00'";
// Kusto's datetime text inside dynamic values: 7 fraction digits when there is a fraction.
const kustoTime = (t: string) => `CASE WHEN epoch_us(${t}) % 1000000 = 0 THEN strftime(${t}, '%Y-%m-%dT%H:%M:%SZ') ELSE strftime(${t}, '%Y-%m-%dT%H:%M:%S.%f0Z') END`;

const cases: { name: string; kql: string; sql: string }[] = [
  {
    name: 'seed skill (defaults)',
    kql: seedKql,
    sql: `SELECT n.DeviceName, n.RemoteIP, n.RemotePort, n.InitiatingProcessFileName, count(*) AS Connections, min(n.Timestamp) AS FirstSeen, max(n.Timestamp) AS LastSeen,
      any_value(coalesce(nullif(p.ProcessCommandLine, ''), nullif(n.InitiatingProcessCommandLine, ''), '')) AS ProcessCommandLine,
      any_value(CASE WHEN p.AccountName <> '' THEN concat(p.AccountDomain, '\\', p.AccountName) ELSE concat(n.InitiatingProcessAccountDomain, '\\', n.InitiatingProcessAccountName) END) AS Account,
      any_value(coalesce(p.InitiatingProcessFileName, '')) AS ParentProcessFileName, to_json(list(DISTINCT n.ActionType)) AS ActionTypes,
      to_json(list_slice(list(${kustoTime('n.Timestamp')}), 1, 200)) AS ConnectionTimes
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

/** The rows as a sorted list of JSON texts (arrays inside sorted too): equal when both queries return the same rows, in any order. */
function canonical(r: QueryResult): string[] {
  const sortArrays = (v: unknown): unknown => (Array.isArray(v) ? v.map(sortArrays).map((x) => JSON.stringify(x)).sort() : v);
  return r.rows.map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, sortArrays(v)]))).sort();
}

const tables = ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceInfo'];
const counts = await Promise.all(tables.map(async (t) => `${t} ${(await engine.run(`${t} | count`)).rows[0].Count}`));
console.log(`\nloaded ${counts.join(', ')} in ${ms(loadMs)} (LocalEngine.open: compressed in-memory DuckDB)`);
console.log('Medians of %d runs after one warm-up. KQL run = engine.run end to end (parse + translate + execute + rows to JSON);', RUNS);
console.log('translated = the translator\'s SQL, hand = hand-written SQL, both through engine.runSql (execute + the same rows to JSON).');
console.log('end-to-end = KQL run / hand; execution = translated / hand.\n');
console.log(`${'query'.padEnd(24)} ${'translate'.padStart(10)} ${'KQL run'.padStart(10)} ${'translated'.padStart(11)} ${'hand SQL'.padStart(10)} ${'end-to-end'.padStart(11)} ${'execution'.padStart(10)} ${'rows'.padStart(6)}  same rows`);
for (const c of cases) {
  const translation = translateKql(c.kql, { now: NOW });
  const variants: [string, () => Promise<QueryResult>][] = [
    ['run', () => engine.run(c.kql, { now: NOW })],
    ['translated', () => engine.runSql(translation.sql, translation.columns)],
    ['hand', () => engine.runSql(c.sql, translation.columns)],
  ];
  const times = new Map<string, number[]>(variants.map(([k]) => [k, []]));
  const results = new Map<string, QueryResult>();
  for (let i = 0; i <= RUNS; i++) {
    // Rotate the order each round so that drift on a shared machine does not favour one side.
    for (let j = 0; j < variants.length; j++) {
      const [key, fn] = variants[(i + j) % variants.length];
      const t = await time(async () => { results.set(key, await fn()); });
      if (i > 0) times.get(key)!.push(t); // round 0 warms up
    }
  }
  const translate: number[] = [];
  for (let i = 0; i < 20; i++) translate.push(await time(() => translateKql(c.kql, { now: NOW })));
  const [k, t, s] = ['run', 'translated', 'hand'].map((key) => median(times.get(key)!));
  const [run, hand] = [results.get('run')!, results.get('hand')!];
  const same = JSON.stringify(canonical(run)) === JSON.stringify(canonical(hand)) && JSON.stringify(canonical(results.get('translated')!)) === JSON.stringify(canonical(run));
  console.log(`${c.name.padEnd(24)} ${ms(median(translate)).padStart(10)} ${ms(k).padStart(10)} ${ms(t).padStart(11)} ${ms(s).padStart(10)} ${(k / s).toFixed(2).padStart(11)} ${(t / s).toFixed(2).padStart(10)} ${String(run.rows.length).padStart(6)}  ${same ? 'yes' : `NO (hand SQL ${hand.rows.length} rows)`}`);
}

// ru_maxrss: the kernel's peak for this process (Node, the Kusto parser, DuckDB with the data, every query above).
// The sample generator, when it runs, is a child process and not counted.
console.log(`\npeak RSS of the engine process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (now ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB)`);
await engine.close();
