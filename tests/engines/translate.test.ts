import { describe, expect, it } from 'vitest';
import { translateKql } from '../../src/engines/local/translate.ts';
import { KqlSyntaxError, UnsupportedKqlError } from '../../src/errors.ts';

const unsupported = (kql: string): UnsupportedKqlError => {
  try {
    translateKql(kql);
  } catch (e) {
    if (e instanceof UnsupportedKqlError) return e;
    throw e;
  }
  throw new Error(`expected ${kql} to be unsupported`);
};

describe('translateKql', () => {
  it('returns one SQL statement, no parameters, and the Kusto column types', () => {
    const t = translateKql('DeviceNetworkEvents | summarize count(), dcount(RemoteIP) by DeviceName');
    expect(t.sql.startsWith('WITH ')).toBe(true);
    expect(t.sql.includes(';')).toBe(false);
    expect(t.params).toEqual([]);
    expect(t.columns).toEqual([{ name: 'DeviceName', type: 'string' }, { name: 'count_', type: 'long' }, { name: 'dcount_RemoteIP', type: 'long' }]);
  });

  it('names join clashes with a 1 suffix', () => {
    const t = translateKql('DeviceNetworkEvents | project DeviceId, Timestamp | join (DeviceInfo | project DeviceId, Timestamp, OSPlatform) on DeviceId');
    expect(t.columns.map((c) => c.name)).toEqual(['DeviceId', 'Timestamp', 'DeviceId1', 'Timestamp1', 'OSPlatform']);
  });

  it('inlines now() from the options, so translation is deterministic', () => {
    const now = new Date('2024-01-02T03:04:05Z');
    expect(translateKql('print ago(1d)', { now }).sql).toContain("TIMESTAMP '2024-01-02 03:04:05.000'");
    expect(translateKql('print x = 1', { now }).sql).toBe(translateKql('print x = 1', { now }).sql);
  });

  it('reads from each table only the columns the query uses, through filters and joins', () => {
    const t = translateKql('DeviceNetworkEvents | where RemotePort >= 1025 | join kind=leftanti (DeviceProcessEvents | where FileName =~ "powershell.exe" | project DeviceId) on DeviceId | summarize count() by DeviceName');
    const scans = t.sql.split('\n').filter((line) => /FROM "Device\w+"\)/.test(line));
    expect(scans).toEqual([
      `WITH s1 AS (SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", "RemotePort" FROM "DeviceNetworkEvents"),`,
      `s3 AS (SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("FileName", '') AS "FileName" FROM "DeviceProcessEvents"),`,
    ]);
    // A result that shows the table keeps all of its columns.
    expect(translateKql('DeviceNetworkEvents | where RemotePort >= 1025').sql).toContain('coalesce("RemoteUrl", \'\') AS "RemoteUrl"');
  });

  it('escapes string literals', () => {
    const t = translateKql(`DeviceNetworkEvents | where DeviceName == "a'; DROP TABLE x; --"`);
    expect(t.sql).toContain("'a''; DROP TABLE x; --'");
  });

  it('reports parser errors as KqlSyntaxError with a position', () => {
    expect(() => translateKql('DeviceNetworkEvents | where NoSuchColumn == 1')).toThrow(KqlSyntaxError);
    expect(() => translateKql('DeviceNetworkEvents | where NoSuchColumn == 1')).toThrow(/line 1, column 29/);
  });

  it('names the unsupported operator or function and its line and column', () => {
    const e1 = unsupported('DeviceNetworkEvents\n| parse RemoteUrl with * "." Domain');
    expect(e1.userMessage).toMatch(/parse operator/);
    expect(e1.details).toMatchObject({ line: 2, column: 3 });
    const e2 = unsupported('DeviceNetworkEvents | extend h = hash_sha256(DeviceName)');
    expect(e2.userMessage).toMatch(/hash_sha256\(\)/);
    expect(e2.details).toMatchObject({ line: 1, column: 34 });
    const e3 = unsupported('DeviceNetworkEvents | make-series count() on Timestamp step 1h');
    expect(e3.userMessage).toMatch(/make-series/);
    const e4 = unsupported('let f = (x: long) { x + 1 }; print f(1)');
    expect(e4.userMessage).toMatch(/user-defined functions/);
    const e5 = unsupported('DeviceNetworkEvents | sample-distinct 3 of DeviceName');
    expect(e5.userMessage).toMatch(/sample-distinct operator/);
    const e6 = unsupported('DeviceNetworkEvents | evaluate bag_unpack(AdditionalFields)');
    expect(e6.userMessage).toMatch(/evaluate/);
    const e7 = unsupported('DeviceNetworkEvents | where Timestamp > datetime("Sat, 8 Nov 14 15:05:02 GMT")');
    expect(e7.userMessage).toMatch(/datetime literal/);
  });

  it('translates the same query to the same SQL every time', () => {
    const kql = 'DeviceNetworkEvents | where Timestamp > ago(7d) | where RemoteIPType in (dynamic(["Public"])) | where RemotePort >= 1025 | summarize count() by DeviceName';
    const now = new Date('2024-01-02T00:00:00Z');
    expect(translateKql(kql, { now })).toEqual(translateKql(kql, { now }));
    expect(translateKql(kql, { now }).columns.map((c) => c.name)).toEqual(['DeviceName', 'count_']);
  });
});
