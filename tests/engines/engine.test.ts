import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/engines/local/engine.ts';
import { HuntError, KqlSyntaxError } from '../../src/errors.ts';
import { defenderSchema, type TableSchemas } from '../../src/kusto/schema.ts';
import { translateKql } from '../../src/engines/local/translate.ts';
import { fixtureEngine, NOW } from './fixture.ts';

const schema: TableSchemas = {
  V: [{ name: 'Id', type: 'long' }, { name: 'At', type: 'datetime' }, { name: 'Big', type: 'long' }, { name: 'Bag', type: 'dynamic' }, { name: 'Span', type: 'timespan' }, { name: 'Ok', type: 'bool' }, { name: 'R', type: 'real' }],
};

let engine: LocalEngine;
beforeAll(async () => {
  engine = await fixtureEngine({
    V: [
      { Id: 1, At: '2024-05-10 10:15:00.123456', Big: '9007199254740993', Bag: { a: [1, 'x'] }, Span: '90 minutes', Ok: true, R: 0.5 },
      { Id: 2, At: '2024-05-10 10:16:00', Big: 5, Bag: null, Span: null, Ok: null, R: null },
      { Id: 3, At: '2024-05-10 10:17:00', Big: 6, Bag: [], Span: '2 days', Ok: false, R: 2 },
    ],
  }, schema);
});
afterAll(async () => { await engine.close(); });

describe('LocalEngine.run', () => {
  it('returns plain JSON rows: ISO datetimes with Z, safe longs as numbers, dynamic parsed, timespans as Kusto text', async () => {
    const r = await engine.run('V | order by Id asc', { now: NOW });
    expect(r.columns).toEqual(schema.V.map((c) => ({ name: c.name, type: c.type })));
    expect(r.rows[0]).toEqual({ Id: 1, At: '2024-05-10T10:15:00.123456Z', Big: '9007199254740993', Bag: { a: [1, 'x'] }, Span: '01:30:00', Ok: true, R: 0.5 });
    expect(r.rows[1]).toEqual({ Id: 2, At: '2024-05-10T10:16:00Z', Big: 5, Bag: null, Span: null, Ok: null, R: null });
    expect(r.rows[2].Span).toBe('2.00:00:00');
    expect(r.truncated).toBe(false);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('stops at maxRows and says so', async () => {
    const r = await engine.run('V | order by Id asc', { now: NOW, maxRows: 2 });
    expect(r.rows.map((x) => x.Id)).toEqual([1, 2]);
    expect(r.truncated).toBe(true);
    expect((await engine.run('V', { maxRows: 3 })).truncated).toBe(false);
  });

  it('bag access on dynamic values', async () => {
    const r = await engine.run('V | where Id == 1 | project a0 = Bag.a[0], a1 = tostring(Bag["a"][1]), n = array_length(Bag.a)', { now: NOW });
    expect(r.rows).toEqual([{ a0: 1, a1: 'x', n: 2 }]);
  });

  it('honours an AbortSignal', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(engine.run('V', { signal: aborted.signal })).rejects.toThrow();
    const slow = new AbortController();
    const run = engine.run('range x from 1 to 3000000000 step 1 | summarize count() by x % 7', { signal: slow.signal });
    setTimeout(() => slow.abort(), 100);
    await expect(run).rejects.toMatchObject({ code: 'QueryCancelled' });
    // The connection is still usable afterwards.
    expect((await engine.run('V | count')).rows).toEqual([{ Count: 3 }]);
  });

  it('throws typed errors', async () => {
    await expect(engine.run('V | where Nope == 1')).rejects.toBeInstanceOf(KqlSyntaxError);
    await expect(engine.run('V | where Nope == 1')).rejects.toBeInstanceOf(HuntError);
  });
});

describe('LocalEngine.runSql', () => {
  it('returns the rows of the translated SQL exactly as run does', async () => {
    const kql = 'V | extend Day = bin(At, 1d), Tags = pack_array(Id, "x"), Name = tostring(Id) | order by Id asc';
    const { sql, columns } = translateKql(kql, { now: NOW, schema: { ...defenderSchema(), ...schema } });
    expect(await engine.runSql(sql, columns)).toMatchObject({ columns, rows: (await engine.run(kql, { now: NOW })).rows, truncated: false });
  });

  it('reads datetimes as DuckDB prints them, with T and Z, across the whole AD range', async () => {
    // 0001-01-01 .. 9999-12-31, plus values around the epoch and beyond 2^53 microseconds (before 1685, after 2255).
    const sql = `SELECT t, replace(CAST(t AS VARCHAR), ' ', 'T') || 'Z' AS text FROM (SELECT make_timestamp(x) AS t FROM (
      SELECT unnest([0, -1, 1, -500000, 1715336100120000, -11676095999750000, -62135596800000000, 253402300799999999, 86399999999, -86400000001]) AS x
      UNION ALL SELECT CAST(-62135596800000000 + random() * 315537897599999999 AS BIGINT) FROM range(2000)))`;
    const r = await engine.runSql(sql, [{ name: 't', type: 'datetime' }, { name: 'text', type: 'string' }]);
    expect(r.rows).toHaveLength(2010);
    for (const row of r.rows) expect(row.t).toBe(row.text);
    expect(r.rows.slice(3, 6).map((row) => row.t)).toEqual(['1969-12-31T23:59:59.5Z', '2024-05-10T10:15:00.12Z', '1600-01-01T00:00:00.25Z']);
  });

  it('gives string nulls as empty, guid and dynamic nulls as null, and converts other DuckDB types by Kusto type', async () => {
    const r = await engine.runSql(
      `SELECT NULL::VARCHAR, NULL::VARCHAR, 'e7c2b0a4-1f0e-4c8e-9a51-2b9d6f0c3a11'::UUID, '{"a":[1,"x"]}'::JSON, NULL::JSON, 1.25::DECIMAL(5, 2), (2::HUGEINT ** 60)::HUGEINT, 7::SMALLINT, 'tab\there "quoted" ü'`,
      [{ name: 's', type: 'string' }, { name: 'g', type: 'guid' }, { name: 'u', type: 'guid' }, { name: 'd', type: 'dynamic' }, { name: 'n', type: 'dynamic' },
        { name: 'r', type: 'real' }, { name: 'h', type: 'long' }, { name: 'i', type: 'int' }, { name: 't', type: 'string' }],
    );
    expect(r.rows).toEqual([{ s: '', g: null, u: 'e7c2b0a4-1f0e-4c8e-9a51-2b9d6f0c3a11', d: { a: [1, 'x'] }, n: null, r: 1.25, h: '1152921504606846976', i: 7, t: 'tab\there "quoted" ü' }]);
  });

  it('stops at maxRows like run', async () => {
    const r = await engine.runSql('SELECT * FROM range(10)', [{ name: 'x', type: 'long' }], { maxRows: 4 });
    expect(r.rows).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }]);
    expect(r.truncated).toBe(true);
  });
});

describe('LocalEngine.open', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engine-'));
    await writeFile(join(dir, 'DeviceNetworkEvents.csv'), 'Timestamp,DeviceId,DeviceName,RemoteIP,RemotePort,RemoteIPType\n2024-05-10T10:00:00Z,d1,ws-1,8.8.8.8,4444,Public\n2024-05-10T11:00:00Z,d1,ws-1,10.0.0.1,4444,Private\n');
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('loads a data folder once and runs queries on every Defender table', async () => {
    const e = await LocalEngine.open({ dataDir: dir });
    try {
      expect((await e.run('DeviceNetworkEvents | where RemoteIPType == "Public" | project DeviceName, RemotePort')).rows).toEqual([{ DeviceName: 'ws-1', RemotePort: 4444 }]);
      expect((await e.run('DeviceFileEvents | count')).rows).toEqual([{ Count: 0 }]);
    } finally {
      await e.close();
    }
  });
});
