import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engines/local/engine.ts';
import { fixtureEngine } from './fixture.ts';

// The 22 DeviceNetworkEvents gold queries of the NL2KQL benchmark (see fixtures/README.md).
const queries = readFileSync(new URL('./fixtures/nl2kql-network.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((line) => JSON.parse(line) as { context: string; baseline: string });

const row = (over: Record<string, unknown>) => ({
  Timestamp: '2022-10-06 01:50:00', DeviceId: 'b00cf391210874c0345b26355dcfa61f587d5d46', DeviceName: 'attack-test.contoso.com', ActionType: 'ConnectionSuccess',
  RemoteIP: '8.8.8.8', RemotePort: 445, RemoteUrl: 'www.bbc.com', LocalIP: '10.1.1.1', LocalPort: 123, LocalIPType: 'Private', RemoteIPType: 'Public',
  Protocol: 'http', InitiatingProcessFileName: 'cmd.exe', InitiatingProcessIntegrityLevel: 'High', ...over,
});

let engine: LocalEngine;
beforeAll(async () => {
  engine = await fixtureEngine({
    DeviceNetworkEvents: [row({}), row({ RemoteIP: '12.34.9.41', ActionType: 'ConnectionFailed', RemotePort: 3131 }), row({ DeviceId: 'x2', RemoteUrl: 'filedrop.contonso.com', Timestamp: '2022-10-05 20:00:00' })],
  });
});
afterAll(async () => { await engine.close(); });

describe('NL2KQL DeviceNetworkEvents gold queries', () => {
  it('has all 22 queries', () => { expect(queries).toHaveLength(22); });
  queries.forEach(({ context, baseline }, i) => {
    it(`#${i + 1}: ${context.slice(0, 70)}`, async () => {
      const result = await engine.run(baseline, { now: new Date('2022-10-08T00:00:00Z') });
      expect(result.columns.length).toBeGreaterThan(0);
      expect(result.truncated).toBe(false);
    });
  });

  it('gives Kusto answers on a few of them', async () => {
    const at = { now: new Date('2022-10-08T00:00:00Z') };
    // #16: port 445 on either side: the two rows with RemotePort 445 (LocalPort is 123 everywhere).
    expect((await engine.run(queries[15].baseline, at)).rows).toHaveLength(2);
    // #19: has 'bbc.com' matches the term sequence in www.bbc.com, distinct device names.
    expect((await engine.run(queries[18].baseline, at)).rows).toEqual([{ DeviceName: 'attack-test.contoso.com' }]);
    // #12: dcount and make_set column names feed the next where.
    const r12 = await engine.run(queries[11].baseline, at);
    expect(r12.columns.map((c) => c.name)).toEqual(['DeviceId', 'dcount_RemoteIP', 'set_RemoteIP']);
    expect(r12.rows).toEqual([]);
    // #15: "12-12-2022 1:50PM" is a US month-first datetime; nothing in December.
    expect((await engine.run(queries[14].baseline, at)).rows).toEqual([]);
  });
});
