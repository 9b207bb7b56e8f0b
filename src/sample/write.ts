import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { defenderSchema } from '../kusto/schema.ts';
import { fileHashes, type World } from './world.ts';

export type SampleFormat = 'csv' | 'jsonl' | 'parquet';
export const SAMPLE_TABLES = ['DeviceInfo', 'DeviceNetworkEvents', 'DeviceProcessEvents'] as const;

type StageType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'BOOLEAN';

/**
 * Writes the world's tables as `<Table>.<format>` in `outDir` through DuckDB: the generator stages compact rows
 * (devices, processes, endpoints, connections) and DuckDB joins them into the full Defender columns and writes the file.
 * Returns the row count of each table.
 */
export async function writeTables(world: World, outDir: string, format: SampleFormat): Promise<Record<string, { file: string; rows: number }>> {
  // A folder keeps one file per table: drop this sample's tables in any format first.
  await Promise.all(SAMPLE_TABLES.flatMap((t) => ['csv', 'json', 'jsonl', 'parquet'].map((ext) => rm(join(outDir, `${t}.${ext}`), { force: true }))));
  // Sorting a million wide rows needs about 1 GB; past that DuckDB spills to a folder it removes afterwards.
  const spill = join(outDir, '.duckdb-spill');
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', temp_directory: spill });
  const con = await instance.connect();
  try {
    await stageWorld(con, world);
    const written: Record<string, { file: string; rows: number }> = {};
    for (const table of SAMPLE_TABLES) {
      const file = `${table}.${format}`;
      const options = { csv: `FORMAT CSV, HEADER true, DELIMITER ','`, jsonl: 'FORMAT JSON', parquet: 'FORMAT PARQUET' }[format];
      const result = await con.runAndReadAll(`COPY (${selectTable(table, format)}) TO '${join(outDir, file).replaceAll("'", "''")}' (${options})`);
      written[table] = { file, rows: Number(result.getRows()[0][0]) };
    }
    return written;
  } finally {
    con.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}

async function stage(con: DuckDBConnection, table: string, columns: [string, StageType][], rows: Iterable<unknown[]>): Promise<void> {
  await con.run(`CREATE TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const appender = await con.createAppender(table);
  for (const row of rows) {
    row.forEach((value, i) => {
      if (value === null || value === undefined) return appender.appendNull();
      switch (columns[i][1]) {
        case 'VARCHAR': return appender.appendVarchar(String(value));
        case 'BIGINT': return appender.appendBigInt(BigInt(value as number));
        case 'INTEGER': return appender.appendInteger(value as number);
        case 'BOOLEAN': return appender.appendBoolean(value as boolean);
      }
    });
    appender.endRow();
  }
  appender.closeSync();
}

async function stageWorld(con: DuckDBConnection, world: World): Promise<void> {
  await stage(con, 'devices', [['idx', 'INTEGER'], ['id', 'VARCHAR'], ['name', 'VARCHAR'], ['ip', 'VARCHAR'], ['workstation', 'BOOLEAN'], ['os_platform', 'VARCHAR'],
    ['os_build', 'BIGINT'], ['os_version_info', 'VARCHAR'], ['model', 'VARCHAR'], ['vendor', 'VARCHAR'], ['aad_id', 'VARCHAR'], ['logged_on_users', 'VARCHAR']],
  world.devices.map((d) => [d.index, d.id, d.name, d.ip, d.kind === 'workstation', d.osPlatform, d.osBuild, d.osVersionInfo, d.model, d.vendor,
    d.kind === 'workstation' ? d.aadDeviceId : '', JSON.stringify(d.user ? [{ UserName: d.user.name, DomainName: 'CONTOSO', Sid: d.user.sid }] : [])]));
  await stage(con, 'reports', [['device', 'INTEGER'], ['ts', 'BIGINT']], world.devices.flatMap((d) => d.reports.map((t) => [d.index, t])));
  await stage(con, 'procs', [['idx', 'INTEGER'], ['device', 'INTEGER'], ['pid', 'BIGINT'], ['created', 'BIGINT'], ['parent', 'INTEGER'], ['logged', 'BOOLEAN'],
    ['file', 'VARCHAR'], ['folder', 'VARCHAR'], ['cmd', 'VARCHAR'], ['sha1', 'VARCHAR'], ['sha256', 'VARCHAR'], ['md5', 'VARCHAR'], ['size', 'BIGINT'],
    ['company', 'VARCHAR'], ['product', 'VARCHAR'], ['version', 'VARCHAR'], ['description', 'VARCHAR'], ['integrity', 'VARCHAR'], ['elevation', 'VARCHAR'],
    ['acct_domain', 'VARCHAR'], ['acct_name', 'VARCHAR'], ['acct_sid', 'VARCHAR'], ['acct_upn', 'VARCHAR'], ['acct_oid', 'VARCHAR'], ['logon_id', 'BIGINT'],
    ['signer', 'VARCHAR'], ['signature', 'VARCHAR']],
  world.processes.map((p) => {
    const h = fileHashes(p.exe);
    const service = p.account.domain === 'nt authority';
    return [p.index, p.device.index, p.pid, p.created, p.parent?.index, p.logged, p.exe.file, p.folderPath, p.commandLine, h.sha1, h.sha256, h.md5, p.exe.size,
      p.exe.company, p.exe.product, p.exe.version, p.exe.description, service ? 'System' : 'Medium', service ? 'TokenElevationTypeDefault' : 'TokenElevationTypeLimited',
      p.account.domain, p.account.name, p.account.sid, p.account.upn, p.account.objectId, p.logonId, p.exe.signer, p.exe.signer ? 'Valid' : 'Unsigned'];
  }));
  await stage(con, 'endpoints', [['idx', 'INTEGER'], ['ip', 'VARCHAR'], ['url', 'VARCHAR'], ['protocol', 'VARCHAR'], ['ip_type', 'VARCHAR']],
    world.endpoints.map((e, i) => [i, e.ip, e.url, e.protocol, e.ipType]));
  // The big one: appended directly, without building row arrays.
  await con.run('CREATE TABLE conns (seq INTEGER, ts BIGINT, proc INTEGER, endpoint INTEGER, port INTEGER, lport INTEGER, action VARCHAR)');
  const c = world.connections;
  const appender = await con.createAppender('conns');
  for (let i = 0; i < c.time.length; i++) {
    appender.appendInteger(i);
    appender.appendBigInt(BigInt(c.time[i]));
    appender.appendInteger(c.process[i]);
    appender.appendInteger(c.endpoint[i]);
    appender.appendInteger(c.port[i]);
    appender.appendInteger(c.localPort[i]);
    appender.appendVarchar(c.action[i]);
    appender.endRow();
  }
  appender.closeSync();
}

/** The columns describing process `p`, named with `prefix` ('InitiatingProcess', or '' for the process itself). */
function processColumns(p: string, prefix: string): Record<string, string> {
  const versionPrefix = prefix || 'Process';
  return {
    [`${prefix}SHA1`]: `${p}.sha1`, [`${prefix}SHA256`]: `${p}.sha256`, [`${prefix}MD5`]: `${p}.md5`,
    [`${prefix}FileSize`]: `${p}.size`,
    [`${versionPrefix}VersionInfoCompanyName`]: `${p}.company`, [`${versionPrefix}VersionInfoProductName`]: `${p}.product`,
    [`${versionPrefix}VersionInfoProductVersion`]: `${p}.version`, [`${versionPrefix}VersionInfoInternalFileName`]: `regexp_replace(${p}.file, '\\.[^.]*$', '')`,
    [`${versionPrefix}VersionInfoOriginalFileName`]: `${p}.file`, [`${versionPrefix}VersionInfoFileDescription`]: `${p}.description`,
    [`${prefix}AccountDomain`]: `${p}.acct_domain`, [`${prefix}AccountName`]: `${p}.acct_name`, [`${prefix}AccountSid`]: `${p}.acct_sid`,
    [`${prefix}AccountUpn`]: `${p}.acct_upn`, [`${prefix}AccountObjectId`]: `${p}.acct_oid`,
    [`${versionPrefix}IntegrityLevel`]: `${p}.integrity`, [`${versionPrefix}TokenElevation`]: `${p}.elevation`,
  };
}

const EMPTY = `''`;

function tableColumns(table: (typeof SAMPLE_TABLES)[number]): { columns: Record<string, string>; from: string } {
  switch (table) {
    case 'DeviceNetworkEvents':
      return {
        columns: {
          Timestamp: 'epoch_ms(c.ts)', DeviceId: 'd.id', DeviceName: 'd.name', ActionType: 'c.action',
          RemoteIP: 'e.ip', RemotePort: 'c.port', RemoteUrl: 'e.url', LocalPort: 'c.lport', Protocol: 'e.protocol', RemoteIPType: 'e.ip_type',
          LocalIP: `CASE WHEN e.ip_type = 'Loopback' THEN '127.0.0.1' ELSE d.ip END`,
          LocalIPType: `CASE WHEN e.ip_type = 'Loopback' THEN 'Loopback' ELSE 'Private' END`,
          ...processColumns('p', 'InitiatingProcess'),
          InitiatingProcessFileName: 'p.file', InitiatingProcessId: 'p.pid', InitiatingProcessCommandLine: 'p.cmd',
          InitiatingProcessCreationTime: 'epoch_ms(p.created)', InitiatingProcessFolderPath: 'p.folder',
          InitiatingProcessParentFileName: 'pp.file', InitiatingProcessParentId: 'pp.pid', InitiatingProcessParentCreationTime: 'epoch_ms(pp.created)',
          ReportId: 'c.seq + 1', AppGuardContainerId: EMPTY, AdditionalFields: EMPTY,
        },
        from: `conns c JOIN endpoints e ON e.idx = c.endpoint JOIN procs p ON p.idx = c.proc JOIN devices d ON d.idx = p.device
               LEFT JOIN procs pp ON pp.idx = p.parent ORDER BY c.ts, c.seq`,
      };
    case 'DeviceProcessEvents':
      return {
        columns: {
          Timestamp: 'epoch_ms(p.created)', DeviceId: 'd.id', DeviceName: 'd.name', ActionType: `'ProcessCreated'`,
          FileName: 'p.file', FolderPath: 'p.folder', ProcessId: 'p.pid', ProcessCommandLine: 'p.cmd', ProcessCreationTime: 'epoch_ms(p.created)',
          ...processColumns('p', ''), LogonId: 'p.logon_id',
          ...processColumns('pp', 'InitiatingProcess'), InitiatingProcessLogonId: 'pp.logon_id',
          InitiatingProcessFileName: 'pp.file', InitiatingProcessId: 'pp.pid', InitiatingProcessCommandLine: 'pp.cmd',
          InitiatingProcessCreationTime: 'epoch_ms(pp.created)', InitiatingProcessFolderPath: 'pp.folder',
          InitiatingProcessParentId: 'gp.pid', InitiatingProcessParentFileName: 'gp.file', InitiatingProcessParentCreationTime: 'epoch_ms(gp.created)',
          InitiatingProcessSignerType: 'pp.signer', InitiatingProcessSignatureStatus: 'pp.signature',
          ReportId: 'p.idx + 1', AppGuardContainerId: EMPTY, AdditionalFields: EMPTY,
        },
        from: `procs p JOIN devices d ON d.idx = p.device LEFT JOIN procs pp ON pp.idx = p.parent LEFT JOIN procs gp ON gp.idx = pp.parent
               WHERE p.logged ORDER BY p.created, p.idx`,
      };
    case 'DeviceInfo':
      return {
        columns: {
          Timestamp: 'epoch_ms(r.ts)', DeviceId: 'd.id', DeviceName: 'd.name', ClientVersion: `'10.8760.' || d.os_build || '.1098'`,
          PublicIP: `'198.51.100.200'`, OSArchitecture: `'64-bit'`, OSPlatform: 'd.os_platform', OSBuild: 'd.os_build',
          IsAzureADJoined: 'd.workstation', JoinType: `CASE WHEN d.workstation THEN 'Hybrid Azure AD Join' ELSE 'Domain Joined' END`,
          AadDeviceId: 'd.aad_id', LoggedOnUsers: 'd.logged_on_users', RegistryDeviceTag: EMPTY, OSVersion: `'10.0'`,
          MachineGroup: `CASE WHEN d.workstation THEN 'Contoso Workstations' ELSE 'Contoso Servers' END`,
          ReportId: 'row_number() OVER (ORDER BY r.ts, r.device)', OnboardingStatus: `'Onboarded'`, AdditionalFields: EMPTY,
          DeviceCategory: `'Endpoint'`, DeviceType: `CASE WHEN d.workstation THEN 'Workstation' ELSE 'Server' END`, DeviceSubtype: EMPTY,
          Model: 'd.model', Vendor: 'd.vendor', OSDistribution: EMPTY, OSVersionInfo: 'd.os_version_info', MergedDeviceIds: EMPTY,
          MergedToDeviceId: EMPTY, IsInternetFacing: EMPTY, SensorHealthState: `'Active'`,
        },
        from: 'reports r JOIN devices d ON d.idx = r.device ORDER BY r.ts, r.device',
      };
  }
}

/** The SELECT that gives `table` with exactly the schema's columns, in its order; CSV and JSON get ISO 8601 UTC times. */
function selectTable(table: (typeof SAMPLE_TABLES)[number], format: SampleFormat): string {
  const { columns, from } = tableColumns(table);
  const select = defenderSchema()[table].map((c) => {
    const expr = columns[c.name];
    if (expr === undefined) throw new Error(`sample: no value for ${table}.${c.name}`);
    if (c.type === 'string') return `coalesce(${expr}, '') AS "${c.name}"`;
    if (c.type === 'datetime' && format !== 'parquet') return `strftime(${expr}, '%Y-%m-%dT%H:%M:%S.%gZ') AS "${c.name}"`;
    return `${expr} AS "${c.name}"`;
  });
  return `SELECT ${select.join(', ')} FROM ${from}`;
}
