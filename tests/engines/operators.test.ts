import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engines/local/engine.ts';
import type { TableSchemas } from '../../src/kusto/schema.ts';
import { fixtureEngine, NOW, rowsOf } from './fixture.ts';

// Tiny tables; every expectation below is computed by hand from them.
const schema: TableSchemas = {
  T: [{ name: 'Id', type: 'long' }, { name: 'Key', type: 'string' }, { name: 'Cmd', type: 'string' }, { name: 'N', type: 'long' }, { name: 'At', type: 'datetime' }, { name: 'Tags', type: 'dynamic' }],
  U: [{ name: 'Key', type: 'string' }, { name: 'Val', type: 'long' }, { name: 'N', type: 'long' }],
};
const T = [
  { Id: 1, Key: 'a', Cmd: 'powershell.exe -enc AAA', N: 10, At: '2024-05-10 10:15:00', Tags: ['x', 'y'] },
  { Id: 2, Key: 'a', Cmd: 'PowerShellX', N: null, At: '2024-05-10 10:45:00', Tags: [] },
  { Id: 3, Key: 'b', Cmd: 'cmd.exe /c whoami', N: 5, At: '2024-05-10 11:05:00', Tags: { k: 1 } },
  { Id: 4, Key: 'c', Cmd: '', N: 7, At: '2024-05-09 23:59:59', Tags: null },
];
const U = [{ Key: 'a', Val: 100, N: 1 }, { Key: 'a', Val: 200, N: 2 }, { Key: 'b', Val: 300, N: 3 }, { Key: 'z', Val: 900, N: 9 }];

let engine: LocalEngine;
beforeAll(async () => { engine = await fixtureEngine({ T, U }, schema); });
afterAll(async () => { await engine.close(); });
const run = (kql: string) => rowsOf(engine, kql);
const ids = async (kql: string) => (await run(kql)).map((r) => r.Id);
const sorted = <R>(rows: R[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('where: string operators', () => {
  it('has matches whole terms, case-insensitively', async () => {
    expect(await ids('T | where Cmd has "powershell" | order by Id asc')).toEqual([1]);
    expect(await ids('T | where Cmd has "POWERSHELL.EXE" | order by Id asc')).toEqual([1]);
    expect(await ids('T | where Cmd has "shell" | order by Id asc')).toEqual([]);
    expect(await ids('T | where Cmd !has "powershell" | order by Id asc')).toEqual([2, 3, 4]);
    expect(await ids('T | where Cmd has_cs "PowerShellX" | order by Id asc')).toEqual([2]);
    expect(await ids('T | where Cmd has_cs "powershellx" | order by Id asc')).toEqual([]);
  });
  it('has_any, has_all, hasprefix, hassuffix', async () => {
    expect(await ids('T | where Cmd has_any ("whoami", "enc") | order by Id asc')).toEqual([1, 3]);
    expect(await ids('T | where Cmd has_all ("cmd", "whoami") | order by Id asc')).toEqual([3]);
    expect(await ids('T | where Cmd has_all ("cmd", "enc") | order by Id asc')).toEqual([]);
    expect(await ids('T | where Cmd hasprefix "whoa" | order by Id asc')).toEqual([3]);
    expect(await ids('T | where Cmd hassuffix "ami" | order by Id asc')).toEqual([3]);
    expect(await ids('T | where Cmd hassuffix "who" | order by Id asc')).toEqual([]);
  });
  it('contains, startswith, endswith and their _cs forms', async () => {
    expect(await ids('T | where Cmd contains "SHELL" | order by Id asc')).toEqual([1, 2]);
    expect(await ids('T | where Cmd contains_cs "Shell" | order by Id asc')).toEqual([2]);
    expect(await ids('T | where Cmd !contains "shell" | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where Cmd startswith "POWER" | order by Id asc')).toEqual([1, 2]);
    expect(await ids('T | where Cmd startswith_cs "Power" | order by Id asc')).toEqual([2]);
    expect(await ids('T | where Cmd endswith "WHOAMI" | order by Id asc')).toEqual([3]);
    expect(await ids('T | where Cmd matches regex "^[a-z]+\\\\.exe" | order by Id asc')).toEqual([1, 3]);
  });
  it('=~, !~, in, !in, in~, !in~ (lists and dynamic arrays)', async () => {
    expect(await ids('T | where Key =~ "A" | order by Id asc')).toEqual([1, 2]);
    expect(await ids('T | where Key !~ "A" | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where Key in ("A", "b") | order by Id asc')).toEqual([3]);
    expect(await ids('T | where Key in~ ("A", "b") | order by Id asc')).toEqual([1, 2, 3]);
    expect(await ids('T | where Key !in~ ("A") | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where N in (dynamic([5, 7])) | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where Key in (dynamic(["c"])) | order by Id asc')).toEqual([4]);
    expect(await ids('T | where Key in (dynamic([])) | order by Id asc')).toEqual([]);
    expect(await ids('T | where Key in ((U | where Val > 250 | project Key)) | order by Id asc')).toEqual([3]);
    expect(await ids('let keys = dynamic(["b", "c"]); T | where Key in (keys) | order by Id asc')).toEqual([3, 4]);
  });
  it('isempty / isnotempty treat the empty string as empty; isnull is for non-strings', async () => {
    expect(await ids('T | where isempty(Cmd) | order by Id asc')).toEqual([4]);
    expect(await ids('T | where isnotempty(Cmd) | order by Id asc')).toEqual([1, 2, 3]);
    expect(await ids('T | where isnull(N) | order by Id asc')).toEqual([2]);
  });
});

describe('nulls', () => {
  it('comparisons with null: == is false, != is true, < is null (dropped)', async () => {
    expect(await ids('T | where N == 10 | order by Id asc')).toEqual([1]);
    expect(await ids('T | where N != 10 | order by Id asc')).toEqual([2, 3, 4]);
    expect(await ids('T | where not(N == 10) | order by Id asc')).toEqual([2, 3, 4]);
    expect(await ids('T | where N < 8 | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where N !in (5) | order by Id asc')).toEqual([1, 2, 4]);
    expect(await run('T | where Id == 2 | project eq = N == 10, ne = N != 10')).toEqual([{ eq: false, ne: true }]);
  });
  it('aggregates skip nulls', async () => {
    expect(await run('T | summarize sum(N), avg(N), min(N), max(N), count(), countif(N > 6), dcount(N)')).toEqual([
      { sum_N: 22, avg_N: 22 / 3, min_N: 5, max_N: 10, count_: 4, countif_: 2, dcount_N: 3 },
    ]);
  });
});

describe('between, datetimes and bin', () => {
  it('between is inclusive for numbers, datetimes and datetime .. timespan', async () => {
    expect(await ids('T | where N between (5 .. 7) | order by Id asc')).toEqual([3, 4]);
    expect(await ids('T | where N !between (5 .. 7) | order by Id asc')).toEqual([1]);
    expect(await ids('T | where At between (datetime(2024-05-10 10:15) .. datetime(2024-05-10 10:45)) | order by Id asc')).toEqual([1, 2]);
    expect(await ids('T | where At between (datetime(2024-05-10) .. 1d) | order by Id asc')).toEqual([1, 2, 3]);
    expect(await ids('T | where At - datetime(2024-05-10 10:00) between (15m .. 45m) | order by Id asc')).toEqual([1, 2]);
  });
  it('ago and now use the run time; timespan literals', async () => {
    // NOW is 2024-05-10 12:00.
    expect(await ids('T | where At > ago(1h) | order by Id asc')).toEqual([3]);
    expect(await ids('T | where At > ago(2h) | order by Id asc')).toEqual([1, 2, 3]);
    expect(await ids('T | where At > now() - 90m | order by Id asc')).toEqual([2, 3]);
    expect(await run('print a = 1d + 2h + 30m + 10s + 100ms')).toEqual([{ a: '1.02:30:10.1000000' }]);
  });
  it('bin on datetimes groups by hour and by day', async () => {
    expect(sorted(await run('T | summarize count() by bin(At, 1h)'))).toEqual(sorted([
      { At: '2024-05-10T10:00:00Z', count_: 2 }, { At: '2024-05-10T11:00:00Z', count_: 1 }, { At: '2024-05-09T23:00:00Z', count_: 1 },
    ]));
    expect(sorted(await run('T | summarize n = count() by day = bin(At, 1d)'))).toEqual(sorted([
      { day: '2024-05-10T00:00:00Z', n: 3 }, { day: '2024-05-09T00:00:00Z', n: 1 },
    ]));
  });
});

describe('project, extend and friends', () => {
  it('project with new names, unnamed expressions get Kusto names', async () => {
    const r = await engine.run('T | where Id == 1 | project Id, Double = N * 2, strlen(Key), N + 1', { now: NOW });
    expect(r.columns.map((c) => c.name)).toEqual(['Id', 'Double', 'strlen_Key', 'Column1']);
    expect(r.rows).toEqual([{ Id: 1, Double: 20, strlen_Key: 1, Column1: 11 }]);
  });
  it('extend replaces in place and sees the input columns only', async () => {
    const r = await engine.run('T | where Id == 3 | extend N = 1, Old = N | project-away Tags, At, Cmd', { now: NOW });
    expect(r.rows).toEqual([{ Id: 3, Key: 'b', N: 1, Old: 5 }]);
  });
  it('project-rename, project-reorder, project-keep', async () => {
    expect(await run('T | where Id == 1 | project Id, Key | project-rename K = Key')).toEqual([{ Id: 1, K: 'a' }]);
    const r = await engine.run('T | where Id == 1 | project Id, Key, N | project-reorder N, Key', { now: NOW });
    expect(r.columns.map((c) => c.name)).toEqual(['N', 'Key', 'Id']);
  });
});

describe('summarize', () => {
  it('names columns as Kusto does', async () => {
    const r = await engine.run('T | summarize count(), dcount(Cmd), sum(N), avg(N), min(N), max(N), make_set(Key), make_list(Id), take_any(Key) by Key', { now: NOW });
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Key:string', 'count_:long', 'dcount_Cmd:long', 'sum_N:long', 'avg_N:real', 'min_N:long', 'max_N:long', 'set_Key:dynamic', 'list_Id:dynamic', 'Key1:string',
    ]);
    const a = r.rows.find((x) => x.Key === 'a')!;
    expect({ ...a, list_Id: [...(a.list_Id as number[])].sort() }).toEqual({
      Key: 'a', count_: 2, dcount_Cmd: 2, sum_N: 10, avg_N: 10, min_N: 10, max_N: 10, set_Key: ['a'], list_Id: [1, 2], Key1: 'a',
    });
  });
  it('make_list and make_set skip nulls and hold datetimes and timespans as Kusto text', async () => {
    const [r] = await run(`datatable(t:datetime, d:timespan)[datetime(2024-05-10 10:15:00.5), 90m, datetime(null), timespan(null), datetime(2024-05-10 10:15:00), 90m]
      | summarize l = make_list(t), s = make_set(t), ld = make_list(d), sd = make_set(d), n = make_list_if(t, d > 1h)`);
    const sort = (v: unknown) => [...(v as string[])].sort();
    expect({ l: sort(r.l), s: sort(r.s), ld: r.ld, sd: r.sd, n: sort(r.n) }).toEqual({
      l: ['2024-05-10T10:15:00.5000000Z', '2024-05-10T10:15:00Z'], s: ['2024-05-10T10:15:00.5000000Z', '2024-05-10T10:15:00Z'],
      ld: ['01:30:00', '01:30:00'], sd: ['01:30:00'], n: ['2024-05-10T10:15:00.5000000Z', '2024-05-10T10:15:00Z'],
    });
  });

  it('make_list with a max size, countif, sumif, dcountif', async () => {
    const r = await run('T | summarize l = make_list(Id, 2), c = countif(N >= 7), s = sumif(N, Key == "a"), d = dcountif(Key, N > 0)');
    expect((r[0].l as number[]).length).toBe(2);
    expect({ ...r[0], l: undefined }).toEqual({ l: undefined, c: 2, s: 10, d: 3 });
  });
  it('arg_max / arg_min with * and with listed columns keep one whole row', async () => {
    expect(sorted(await run('T | summarize arg_max(At, *) by Key | project Key, Id, At'))).toEqual(sorted([
      { Key: 'a', Id: 2, At: '2024-05-10T10:45:00Z' }, { Key: 'b', Id: 3, At: '2024-05-10T11:05:00Z' }, { Key: 'c', Id: 4, At: '2024-05-09T23:59:59Z' },
    ]));
    expect(await run('T | summarize arg_min(N, Id, Cmd)')).toEqual([{ N: 5, Id: 3, Cmd: 'cmd.exe /c whoami' }]);
  });
  it('percentile and summarize by an expression', async () => {
    expect(await run('T | summarize percentile(N, 50)')).toEqual([{ percentile_N_50: 7 }]);
    expect(sorted(await run('T | summarize count() by Id % 2'))).toEqual(sorted([{ Column1: 1, count_: 2 }, { Column1: 0, count_: 2 }]));
  });
});

describe('join and lookup', () => {
  it('the default join (innerunique) keeps one left row per key', async () => {
    const r = await engine.run('T | project Key, Id | join (U) on Key', { now: NOW });
    expect(r.columns.map((c) => c.name)).toEqual(['Key', 'Id', 'Key1', 'Val', 'N']);
    const rows = r.rows;
    // Left key a has two rows (Id 1, 2): one is kept, and it matches both right rows for a.
    expect(rows.filter((x) => x.Key === 'a')).toHaveLength(2);
    expect(new Set(rows.filter((x) => x.Key === 'a').map((x) => x.Id)).size).toBe(1);
    expect(rows.filter((x) => x.Key === 'b').map((x) => [x.Id, x.Val])).toEqual([[3, 300]]);
    expect(rows).toHaveLength(3);
  });
  it('inner, leftouter, rightouter, fullouter', async () => {
    expect(await run('T | project Key, Id | join kind=inner U on Key | count')).toEqual([{ Count: 5 }]);
    const left = await run('T | project Key, Id | join kind=leftouter U on Key | where Id == 4');
    expect(left).toEqual([{ Key: 'c', Id: 4, Key1: '', Val: null, N: null }]);
    expect(await run('T | project Key, Id | join kind=rightouter U on Key | where Val == 900')).toEqual([{ Key: '', Id: null, Key1: 'z', Val: 900, N: 9 }]);
    expect(await run('T | project Key, Id | join kind=fullouter U on Key | count')).toEqual([{ Count: 7 }]);
  });
  it('semi and anti joins', async () => {
    expect(await ids('T | join kind=leftsemi U on Key | order by Id asc')).toEqual([1, 2, 3]);
    expect(await ids('T | join kind=leftanti U on Key | order by Id asc')).toEqual([4]);
    expect((await run('T | join kind=rightanti U on Key')).map((r) => r.Key)).toEqual(['z']);
    expect(sorted((await run('T | join kind=rightsemi U on Key')).map((r) => r.Val))).toEqual([100, 200, 300]);
  });
  it('on $left.A == $right.B, mixed with a shared column, and clashing names get a 1 suffix', async () => {
    const r = await engine.run('T | project Key, N | join kind=inner (U) on Key, $left.N == $right.Val', { now: NOW });
    expect(r.columns.map((c) => c.name)).toEqual(['Key', 'N', 'Key1', 'Val', 'N1']);
    expect(r.rows).toEqual([]);
    expect(await run('T | where Id == 3 | project Key, N | join kind=inner (U | extend M = N + 2) on $left.N == $right.M')).toEqual([
      { Key: 'b', N: 5, Key1: 'b', Val: 300, N1: 3, M: 5 },
    ]);
  });
  it('lookup adds the right columns except its keys', async () => {
    expect(await run('T | where Id == 3 | project Id, Key | lookup (U | project Key, Val) on Key')).toEqual([{ Id: 3, Key: 'b', Val: 300 }]);
    expect(await run('T | where Id == 4 | project Id, Key | lookup (U | project Key, Val) on Key')).toEqual([{ Id: 4, Key: 'c', Val: null }]);
  });
});

describe('order, top, take, distinct, count, union, mv-expand', () => {
  it('order by defaults to desc with nulls last; asc puts nulls first', async () => {
    expect(await ids('T | order by N')).toEqual([1, 4, 3, 2]);
    expect(await ids('T | sort by N asc')).toEqual([2, 3, 4, 1]);
    expect(await ids('T | order by N asc nulls last')).toEqual([3, 4, 1, 2]);
    expect(await ids('T | order by Key asc, Id desc')).toEqual([2, 1, 3, 4]);
  });
  it('the order survives later where / project / take', async () => {
    expect(await run('T | order by Id desc | where Id > 1 | project Key | take 2')).toEqual([{ Key: 'c' }, { Key: 'b' }]);
  });
  it('top N by and take', async () => {
    expect(await ids('T | top 2 by At')).toEqual([3, 2]);
    expect(await ids('T | top 1 by N asc')).toEqual([2]);
    expect(await run('T | take 3 | count')).toEqual([{ Count: 3 }]);
  });
  it('distinct and count', async () => {
    expect(sorted(await run('T | distinct Key'))).toEqual([{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }]);
    expect(await run('U | count')).toEqual([{ Count: 4 }]);
  });
  it('union by column name', async () => {
    const r = await engine.run('T | where Id == 1 | project Key, N | union (U | where Val == 900)', { now: NOW });
    expect(r.columns.map((c) => c.name)).toEqual(['Key', 'N', 'Val']);
    expect(sorted(r.rows)).toEqual(sorted([{ Key: 'a', N: 10, Val: null }, { Key: 'z', N: 9, Val: 900 }]));
  });
  it('mv-expand: arrays give elements, bags give key/value bags, empty arrays give no row, null gives one', async () => {
    expect(await run('T | mv-expand Tags | project Id, Tags | order by Id asc')).toEqual([
      { Id: 1, Tags: 'x' }, { Id: 1, Tags: 'y' }, { Id: 3, Tags: { k: 1 } }, { Id: 4, Tags: null },
    ]);
    expect(await run('T | where Id == 1 | mv-expand with_itemindex=i t = Tags to typeof(string) | project i, t')).toEqual([{ i: 0, t: 'x' }, { i: 1, t: 'y' }]);
  });
});

describe('let, datatable, print, range, top-nested', () => {
  it('let scalars and tables', async () => {
    expect(await ids('let cut = 6; let big = T | where N > cut; big | order by Id asc')).toEqual([1, 4]);
  });
  it('datatable, print and range', async () => {
    expect(await run('datatable(a:string, b:long, c:datetime)["x", 1, datetime(2024-01-01), "y", 2, datetime(null)] | where b > 1')).toEqual([{ a: 'y', b: 2, c: null }]);
    expect(await run('print 1 + 1, s = "k"')).toEqual([{ print_0: 2, s: 'k' }]);
    expect(await run('range x from 1 to 7 step 3')).toEqual([{ x: 1 }, { x: 4 }, { x: 7 }]);
  });
  it('top-nested', async () => {
    expect(await run('T | top-nested 1 of Key by count()')).toEqual([{ Key: 'a', aggregated_Key: 2 }]);
  });
});
