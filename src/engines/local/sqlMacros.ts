// DuckDB macros for the Kusto functions that have no one-call DuckDB equivalent.
// They are plain SQL (the inet extension needs a download, so IP functions are written here).
// Registered once per connection by the local engine; the translator emits calls to them.

const IPV4 = String.raw`^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$`;

export const SQL_MACROS: string[] = [
  // Kusto strings are never null: null and '' are both "empty".
  `CREATE OR REPLACE MACRO kql_str(s) AS coalesce(CAST(s AS VARCHAR), '')`,

  // IPv4 address (no prefix) -> unsigned 32-bit number as BIGINT; null when not an address.
  `CREATE OR REPLACE MACRO kql_ipv4_num(a) AS CASE WHEN regexp_matches(a, '${IPV4}') THEN
     (CAST(split_part(a, '.', 1) AS BIGINT) << 24) + (CAST(split_part(a, '.', 2) AS BIGINT) << 16)
     + (CAST(split_part(a, '.', 3) AS BIGINT) << 8) + CAST(split_part(a, '.', 4) AS BIGINT) END`,
  // Prefix length of "a.b.c.d/n" (32 without a suffix); null when the suffix is not 0..32.
  `CREATE OR REPLACE MACRO kql_ipv4_prefix(s) AS CASE WHEN strpos(s, '/') = 0 THEN 32
     WHEN regexp_matches(split_part(s, '/', 2), '^([0-9]|[12][0-9]|3[0-2])$') THEN CAST(split_part(s, '/', 2) AS BIGINT) END`,
  `CREATE OR REPLACE MACRO kql_ipv4_masked(s, n) AS (kql_ipv4_num(split_part(s, '/', 1)) >> (32 - n)) << (32 - n)`,
  // parse_ipv4: the address as a long, with a CIDR suffix applied as a mask.
  `CREATE OR REPLACE MACRO kql_parse_ipv4(s) AS kql_ipv4_masked(s, kql_ipv4_prefix(s))`,
  `CREATE OR REPLACE MACRO kql_ipv4_is_in_range(ip, r) AS
     kql_ipv4_masked(ip, least(kql_ipv4_prefix(ip), kql_ipv4_prefix(r))) = kql_ipv4_masked(r, least(kql_ipv4_prefix(ip), kql_ipv4_prefix(r)))`,
  `CREATE OR REPLACE MACRO kql_ipv4_is_match(a, b, n) AS
     kql_ipv4_masked(a, least(kql_ipv4_prefix(a), kql_ipv4_prefix(b), n)) = kql_ipv4_masked(b, least(kql_ipv4_prefix(a), kql_ipv4_prefix(b), n))`,
  // RFC 1918 ranges, as Kusto's ipv4_is_private: 10/8, 172.16/12, 192.168/16.
  `CREATE OR REPLACE MACRO kql_ipv4_is_private(s) AS CASE WHEN kql_parse_ipv4(s) IS NOT NULL THEN
     (kql_parse_ipv4(s) >> 24) = 10 OR (kql_parse_ipv4(s) >> 20) = 2753 OR (kql_parse_ipv4(s) >> 16) = 49320 END`,

  // bin() on datetimes: Kusto counts bins from 0001-01-01 (tick 0).
  `CREATE OR REPLACE MACRO kql_bin_datetime(t, us) AS
     make_timestamp(CAST(floor((epoch_us(t) + 62135596800000000) / us) AS BIGINT) * us - 62135596800000000)`,
  `CREATE OR REPLACE MACRO kql_timespan_us(i) AS CAST(round(epoch(i) * 1000000) AS BIGINT)`,
  `CREATE OR REPLACE MACRO kql_bin_timespan(i, us) AS to_microseconds(CAST(floor(kql_timespan_us(i) / us) AS BIGINT) * us)`,

  // tostring(datetime): ISO 8601 with Z, 7 fraction digits only when there is a fraction.
  `CREATE OR REPLACE MACRO kql_datetime_str(t) AS CASE WHEN t IS NULL THEN ''
     WHEN epoch_us(t) % 1000000 = 0 THEN strftime(t, '%Y-%m-%dT%H:%M:%SZ')
     ELSE strftime(t, '%Y-%m-%dT%H:%M:%S.%f0Z') END`,
  // tostring(timespan): [-][d.]hh:mm:ss[.fffffff]
  `CREATE OR REPLACE MACRO kql_timespan_str(i) AS CASE WHEN i IS NULL THEN '' ELSE
     (CASE WHEN kql_timespan_us(i) < 0 THEN '-' ELSE '' END)
     || (CASE WHEN abs(kql_timespan_us(i)) >= 86400000000 THEN CAST(abs(kql_timespan_us(i)) // 86400000000 AS VARCHAR) || '.' ELSE '' END)
     || lpad(CAST(abs(kql_timespan_us(i)) // 3600000000 % 24 AS VARCHAR), 2, '0') || ':'
     || lpad(CAST(abs(kql_timespan_us(i)) // 60000000 % 60 AS VARCHAR), 2, '0') || ':'
     || lpad(CAST(abs(kql_timespan_us(i)) // 1000000 % 60 AS VARCHAR), 2, '0')
     || (CASE WHEN abs(kql_timespan_us(i)) % 1000000 = 0 THEN '' ELSE '.' || lpad(CAST(abs(kql_timespan_us(i)) % 1000000 AS VARCHAR), 6, '0') || '0' END) END`,

  // parse_json / todynamic: text that is not JSON becomes a JSON string, as in Kusto.
  `CREATE OR REPLACE MACRO kql_parse_json(s) AS CASE WHEN s IS NULL OR s = '' THEN NULL
     WHEN json_valid(s) THEN CAST(s AS JSON) ELSE to_json(s) END`,
  // tostring(dynamic): strings unquoted, other values as JSON text, null as ''.
  `CREATE OR REPLACE MACRO kql_dynamic_str(j) AS coalesce(json_extract_string(j, '$'), '')`,
  `CREATE OR REPLACE MACRO kql_array_length(j) AS CASE WHEN json_type(j) = 'ARRAY' THEN CAST(json_array_length(j) AS BIGINT) END`,
  // mv-expand: an array gives its elements, a bag gives one {key: value} bag per property,
  // null gives one null row, any other value gives itself; an empty array or bag gives no row.
  `CREATE OR REPLACE MACRO kql_mv_items(j) AS CASE
     WHEN j IS NULL OR json_type(j) = 'NULL' THEN [NULL::JSON]
     WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[])
     WHEN json_type(j) = 'OBJECT' THEN list_transform(json_keys(j), k -> json_object(k, json_extract(j, '$."' || replace(k, '"', '\\"') || '"')))
     ELSE [j] END`,
  // Kusto's set_has_element / array membership on a JSON array.
  `CREATE OR REPLACE MACRO kql_json_list(j) AS CASE WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[]) ELSE [] END`,
];
