import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadDataDir } from '../../src/engines/local/load.ts';
import { defenderSchema, type TableSchemas } from '../../src/kusto/schema.ts';
import { HuntError } from '../../src/errors.ts';

let root: string;
let dir: string;
let instance: DuckDBInstance;
let con: DuckDBConnection;
let n = 0;

beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'hunt-load-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });
beforeEach(async () => {
  dir = join(root, `case-${n++}`);
  await mkdir(dir);
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
});

const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const types = async (table: string) => Object.fromEntries((await rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}'`))
  .map((r) => [r.column_name, r.data_type]));
const loadError = async (folder: string, schema?: TableSchemas): Promise<HuntError> => {
  try {
    await loadDataDir(con, folder, schema);
  } catch (e) {
    expect(e).toBeInstanceOf(HuntError);
    return e as HuntError;
  }
  throw new Error('loadDataDir did not fail');
};

describe('loadDataDir: CSV as the Defender portal exports it', () => {
  const csv = [
    'Timestamp,DeviceId,DeviceName,RemoteIP,RemotePort,InitiatingProcessId,InitiatingProcessAccountSid,InitiatingProcessCommandLine,Ticket',
    '2026-11-02T10:15:00.123Z,d1,0042,203.0.113.7,4444,1234,00977,"powershell.exe -c ""a, b""",007',
    '2026-11-02T10:15:00,d1,ws-2,198.51.100.9,443,99,,,',
    '2026-11-02T12:15:00+02:00,d2,ws-3,,8080,5,,x,',
  ].join('\n');

  it('forces the schema types: numbers become int/long, digit strings stay strings, extra columns stay text', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), csv);
    const loaded = await loadDataDir(con, dir);
    expect(loaded).toEqual([{ table: 'DeviceNetworkEvents', rows: 3, file: join(dir, 'DeviceNetworkEvents.csv') }]);
    const t = await types('DeviceNetworkEvents');
    expect(t).toMatchObject({ Timestamp: 'TIMESTAMP', RemotePort: 'INTEGER', InitiatingProcessId: 'BIGINT', DeviceName: 'VARCHAR', InitiatingProcessAccountSid: 'VARCHAR', Ticket: 'VARCHAR' });
    const first = (await rows(`SELECT DeviceName, RemotePort, InitiatingProcessId, InitiatingProcessAccountSid, InitiatingProcessCommandLine, Ticket FROM DeviceNetworkEvents WHERE DeviceId = 'd1' AND RemotePort = 4444`))[0];
    expect(first).toEqual({ DeviceName: '0042', RemotePort: 4444, InitiatingProcessId: '1234', InitiatingProcessAccountSid: '00977', InitiatingProcessCommandLine: 'powershell.exe -c "a, b"', Ticket: '007' });
    expect(await rows(`SELECT sum(RemotePort)::INTEGER AS s FROM DeviceNetworkEvents`)).toEqual([{ s: 4444 + 443 + 8080 }]);
  });

  it('reads ISO 8601 times with Z, without zone, and with an offset (converted to UTC)', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), csv);
    await loadDataDir(con, dir);
    const times = await rows(`SELECT DeviceName, strftime(Timestamp, '%Y-%m-%d %H:%M:%S.%g') AS t FROM DeviceNetworkEvents ORDER BY DeviceName`);
    expect(times).toEqual([
      { DeviceName: '0042', t: '2026-11-02 10:15:00.123' },
      { DeviceName: 'ws-2', t: '2026-11-02 10:15:00.000' },
      { DeviceName: 'ws-3', t: '2026-11-02 10:15:00.000' },
    ]);
  });

  it('adds missing schema columns: empty strings (Kusto strings are never null) and nulls for other types', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), csv);
    await loadDataDir(con, dir);
    const schemaColumns = defenderSchema().DeviceNetworkEvents.map((c) => c.name);
    expect(Object.keys(await types('DeviceNetworkEvents'))).toEqual(expect.arrayContaining([...schemaColumns, 'Ticket']));
    const r = await rows(`SELECT RemoteUrl, RemoteIP, InitiatingProcessCreationTime, LocalPort FROM DeviceNetworkEvents WHERE DeviceName = 'ws-3'`);
    expect(r).toEqual([{ RemoteUrl: '', RemoteIP: '', InitiatingProcessCreationTime: null, LocalPort: null }]);
  });

  it('creates every other schema table empty, with all its columns', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), csv);
    await loadDataDir(con, dir);
    const tables = (await rows(`SELECT table_name FROM information_schema.tables`)).map((r) => r.table_name);
    expect(tables.sort()).toEqual(Object.keys(defenderSchema()).sort());
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM DeviceProcessEvents`)).toEqual([{ n: 0 }]);
    expect(Object.keys(await types('DeviceProcessEvents'))).toEqual(defenderSchema().DeviceProcessEvents.map((c) => c.name));
    expect(await types('DeviceProcessEvents')).toMatchObject({ ProcessId: 'BIGINT', ProcessCreationTime: 'TIMESTAMP' });
  });

  it('matches file and column names case-insensitively, loads other valid names as extra tables, and skips sample metadata', async () => {
    await writeFile(join(dir, 'devicenetworkevents.csv'), 'timestamp,remoteport\n2026-11-02T10:15:00Z,3389\n');
    await writeFile(join(dir, 'Watchlist_2.csv'), 'Ip,Score\n192.0.2.1,07\n');
    await writeFile(join(dir, 'manifest.json'), '{"generator":"x"}');
    await writeFile(join(dir, 'ground-truth.json'), '{"scenarios":[]}');
    await writeFile(join(dir, 'README.md'), '# notes');
    const loaded = await loadDataDir(con, dir);
    expect(loaded.map((l) => [l.table, l.rows])).toEqual([['DeviceNetworkEvents', 1], ['Watchlist_2', 1]]);
    expect(await rows(`SELECT RemotePort FROM DeviceNetworkEvents`)).toEqual([{ RemotePort: 3389 }]);
    expect(await rows(`SELECT Ip, Score FROM Watchlist_2`)).toEqual([{ Ip: '192.0.2.1', Score: '07' }]);
  });
});

describe('loadDataDir: JSON lines and Parquet', () => {
  const custom: TableSchemas = {
    Alerts: [
      { name: 'When', type: 'datetime' }, { name: 'Id', type: 'string' }, { name: 'Count', type: 'long' },
      { name: 'Open', type: 'bool' }, { name: 'Score', type: 'real' }, { name: 'Bag', type: 'dynamic' }, { name: 'Wait', type: 'timespan' },
    ],
  };

  it('reads JSONL with the schema types, whatever JSON type the values have, and keeps extra keys', async () => {
    await writeFile(join(dir, 'Alerts.jsonl'), [
      JSON.stringify({ When: '2026-11-02T10:15:00Z', Id: 123, Count: '42', Open: true, Score: 0.5, Bag: { a: [1, 2] }, Wait: '00:05:00', Extra: 7 }),
      JSON.stringify({ When: '2026-11-02T11:15:00+01:00', Id: '0099', Count: 7, Open: 'false', Score: '1', Bag: [1], Extra: 8 }),
    ].join('\n'));
    expect(await loadDataDir(con, dir, custom)).toEqual([{ table: 'Alerts', rows: 2, file: join(dir, 'Alerts.jsonl') }]);
    expect(await types('Alerts')).toEqual({ When: 'TIMESTAMP', Id: 'VARCHAR', Count: 'BIGINT', Open: 'BOOLEAN', Score: 'DOUBLE', Bag: 'JSON', Wait: 'INTERVAL', Extra: 'BIGINT' });
    expect(await rows(`SELECT strftime("When", '%H:%M') AS t, Id, Count, Open, Score, Bag, Extra FROM Alerts ORDER BY Extra`)).toEqual([
      { t: '10:15', Id: '123', Count: '42', Open: true, Score: 0.5, Bag: '{"a":[1,2]}', Extra: '7' },
      { t: '10:15', Id: '0099', Count: '7', Open: false, Score: 1, Bag: '[1]', Extra: '8' },
    ]);
    expect(await rows(`SELECT extract('epoch' FROM Wait)::INTEGER AS s FROM Alerts ORDER BY Extra`)).toEqual([{ s: 300 }, { s: null }]);
  });

  it('reads Parquet: converts natural types to the schema (time zones to UTC) and keeps extra columns with their type', async () => {
    const file = join(dir, 'DeviceNetworkEvents.parquet');
    await con.run(`COPY (SELECT TIMESTAMPTZ '2026-11-02 12:15:00+02' AS Timestamp, 4444::BIGINT AS RemotePort, 1234 AS InitiatingProcessId,
      42 AS DeviceName, [1, 2] AS Tags, 0.25 AS Risk) TO '${file}' (FORMAT PARQUET)`);
    await loadDataDir(con, dir);
    expect(await types('DeviceNetworkEvents')).toMatchObject({ Timestamp: 'TIMESTAMP', RemotePort: 'INTEGER', InitiatingProcessId: 'BIGINT', DeviceName: 'VARCHAR', Tags: 'INTEGER[]', Risk: 'DECIMAL(3,2)' });
    expect(await rows(`SELECT strftime(Timestamp, '%Y-%m-%d %H:%M') AS t, RemotePort, DeviceName, Tags FROM DeviceNetworkEvents`))
      .toEqual([{ t: '2026-11-02 10:15', RemotePort: 4444, DeviceName: '42', Tags: [1, 2] }]);
  });

  it('reads a Parquet file larger than one loading batch completely, in file order, into a compressed database', async () => {
    const file = join(dir, 'DeviceNetworkEvents.parquet');
    const n = 600_000; // more than two batches of 245,760 rows
    await con.run(`COPY (SELECT i AS ReportId, 'ws-' || (i % 500) AS DeviceName, NULL::VARCHAR AS RemoteIP FROM range(${n}) t(i)) TO '${file}' (FORMAT PARQUET)`);
    await con.run(`ATTACH ':memory:' AS hunt (COMPRESS)`);
    await con.run('USE hunt');
    const [loaded] = await loadDataDir(con, dir);
    expect(loaded.rows).toBe(n);
    expect(await rows(`SELECT count(DISTINCT ReportId)::INTEGER AS ids, min(ReportId)::INTEGER AS lo, max(ReportId)::INTEGER AS hi, count(*) FILTER (WHERE RemoteIP = '')::INTEGER AS empty FROM DeviceNetworkEvents`))
      .toEqual([{ ids: n, lo: 0, hi: n - 1, empty: n }]);
    // Without a sort, rows come back in file order.
    const order = await rows(`SELECT count(*)::INTEGER AS out_of_order FROM (SELECT ReportId - lag(ReportId) OVER () AS step FROM DeviceNetworkEvents) WHERE step <> 1`);
    expect(order).toEqual([{ out_of_order: 0 }]);
  });
});

describe('loadDataDir: errors name the table, the file and the folder', () => {
  it('a missing folder', async () => {
    const e = await loadError(join(dir, 'nope'));
    expect(e.code).toBe('DataDirMissing');
    expect(e.userMessage).toContain(join(dir, 'nope'));
  });

  it('a file instead of a folder', async () => {
    await writeFile(join(dir, 'file.csv'), 'a\n1\n');
    expect((await loadError(join(dir, 'file.csv'))).code).toBe('DataDirMissing');
  });

  it('a corrupt Parquet file', async () => {
    await writeFile(join(dir, 'DeviceProcessEvents.parquet'), 'this is not parquet at all, just some text bytes');
    const e = await loadError(dir);
    expect(e.code).toBe('DataFileUnreadable');
    expect(e.userMessage).toMatch(/DeviceProcessEvents.*DeviceProcessEvents\.parquet/);
    expect(e.userMessage).toContain(dir);
    expect(e.details).toMatchObject({ table: 'DeviceProcessEvents', file: 'DeviceProcessEvents.parquet', folder: dir });
  });

  it('a value that is not of its column type names the column', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), 'Timestamp,RemotePort\n2026-11-02T10:15:00Z,https\n');
    const e = await loadError(dir);
    expect(e.code).toBe('DataFileUnreadable');
    expect(e.userMessage).toContain('DeviceNetworkEvents.csv');
    expect(e.userMessage).toContain('column RemotePort (int) has a value that is not a int: "https"');
  });

  it('malformed JSON lines, an empty file, a broken CSV', async () => {
    await writeFile(join(dir, 'DeviceInfo.jsonl'), '{"DeviceId": "a"}\n{not json\n');
    expect((await loadError(dir)).userMessage).toContain('DeviceInfo.jsonl');
    await rm(join(dir, 'DeviceInfo.jsonl'));
    await writeFile(join(dir, 'DeviceInfo.csv'), '');
    expect((await loadError(dir)).userMessage).toMatch(/DeviceInfo\.csv.*empty/);
    await writeFile(join(dir, 'DeviceInfo.csv'), 'DeviceId,DeviceName\n"a,b\n');
    const e = await loadError(dir);
    expect([e.code, e.details.file]).toEqual(['DataFileUnreadable', 'DeviceInfo.csv']);
  });

  it('a file name that is neither a known table nor a valid identifier', async () => {
    await writeFile(join(dir, 'my export.csv'), 'a\n1\n');
    const e = await loadError(dir);
    expect(e.code).toBe('DataFileName');
    expect(e.userMessage).toContain('my export.csv');
    expect(e.userMessage).toContain(dir);
  });

  it('two files for the same table', async () => {
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), 'RemotePort\n1\n');
    await con.run(`COPY (SELECT 1 AS RemotePort) TO '${join(dir, 'DeviceNetworkEvents.parquet')}' (FORMAT PARQUET)`);
    const e = await loadError(dir);
    expect(e.code).toBe('DataFileConflict');
    expect(e.userMessage).toContain('DeviceNetworkEvents.csv');
    expect(e.userMessage).toContain('DeviceNetworkEvents.parquet');
  });
});
