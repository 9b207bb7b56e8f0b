import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engines/local/engine.ts';
import { fixtureEngine, rowsOf } from './fixture.ts';

let engine: LocalEngine;
beforeAll(async () => { engine = await fixtureEngine({}); });
afterAll(async () => { await engine.close(); });
const value = async (expr: string) => (await rowsOf(engine, `print v = ${expr}`))[0].v;

describe('scalar functions', () => {
  it('strings', async () => {
    expect(await value('strlen("héllo")')).toBe(5);
    expect(await value('toupper("ab")')).toBe('AB');
    expect(await value('substring("abcdef", 2, 3)')).toBe('cde');
    expect(await value('substring("abcdef", 4)')).toBe('ef');
    expect(await value('strcat("a", 1, "", "b")')).toBe('a1b');
    expect(await value('split("a,b,c", ",")')).toEqual(['a', 'b', 'c']);
    expect(await value('split("a,b,c", ",", 1)')).toEqual(['b']);
    expect(await value('replace_string("a.b.c", ".", "-")')).toBe('a-b-c');
    expect(await value('trim(" ", "  x  ")')).toBe('x');
    expect(await value('extract("port=([0-9]+)", 1, "host port=8443 x")')).toBe('8443');
    expect(await value('extract("port=([0-9]+)", 1, "none")')).toBe('');
    expect(await value('indexof("abc", "c")')).toBe(2);
  });
  it('conversions', async () => {
    expect(await value('tostring(12)')).toBe('12');
    expect(await value('tostring(datetime(2024-01-02 03:04:05))')).toBe('2024-01-02T03:04:05Z');
    expect(await value('toint("42")')).toBe(42);
    expect(await value('toint("x")')).toBe(null);
    expect(await value('tolong(2.9)')).toBe(2);
    expect(await value('todouble("1.5")')).toBe(1.5);
    expect(await value('tobool("true")')).toBe(true);
    expect(await value('todatetime("2024-01-02T03:04:05Z")')).toBe('2024-01-02T03:04:05Z');
  });
  it('conditionals; coalesce skips empty strings', async () => {
    expect(await value('iff(1 > 2, "a", "b")')).toBe('b');
    expect(await value('iif(true, 1, 2)')).toBe(1);
    expect(await value('case(false, "a", 2 > 1, "b", "c")')).toBe('b');
    expect(await value('coalesce("", "x")')).toBe('x');
    expect(await value('coalesce(long(null), 3)')).toBe(3);
    expect(await value('isempty("")')).toBe(true);
    expect(await value('isnull(long(null))')).toBe(true);
  });
  it('datetime helpers', async () => {
    expect(await value('format_datetime(datetime(2024-05-12 13:04:05), "yyyy-MM-dd HH:mm:ss")')).toBe('2024-05-12 13:04:05');
    expect(await value('dayofweek(datetime(2024-05-13))')).toBe('1.00:00:00');
    expect(await value('hourofday(datetime(2024-05-13 17:30))')).toBe(17);
    expect(await value('startofday(datetime(2024-05-13 17:30))')).toBe('2024-05-13T00:00:00Z');
    expect(await value('bin(datetime(2024-05-13 17:31:10), 15m)')).toBe('2024-05-13T17:30:00Z');
    expect(await value('datetime(2024-05-13) - datetime(2024-05-12 12:00)')).toBe('12:00:00');
    expect(await value('datetime("12-12-2022 1:50PM")')).toBe('2022-12-12T13:50:00Z');
    expect(await value('bin(17, 5)')).toBe(15);
    expect(await value('7 / 2')).toBe(3);
    expect(await value('7.0 / 2')).toBe(3.5);
  });
  it('dynamic values', async () => {
    expect(await value('array_length(dynamic([1, 2, 3]))')).toBe(3);
    expect(await value('parse_json(\'{"a": {"b": [5, 6]}}\').a.b[1]')).toBe(6);
    expect(await value('tostring(parse_json(\'{"a": "x"}\')["a"])')).toBe('x');
    expect(await value('parse_json("not json")')).toBe('not json');
  });
  it('IPv4 functions (SQL macros)', async () => {
    expect(await value('parse_ipv4("127.0.0.1")')).toBe(2130706433);
    expect(await value('parse_ipv4("192.168.1.7/24")')).toBe(3232235776);
    expect(await value('parse_ipv4("300.1.1.1")')).toBe(null);
    expect(await value('ipv4_is_private("172.16.3.4")')).toBe(true);
    expect(await value('ipv4_is_private("172.32.0.1")')).toBe(false);
    expect(await value('ipv4_is_private("8.8.8.8")')).toBe(false);
    expect(await value('ipv4_is_in_range("10.1.2.3", "10.1.0.0/16")')).toBe(true);
    expect(await value('ipv4_is_in_range("10.2.2.3", "10.1.0.0/16")')).toBe(false);
    expect(await value('ipv4_is_in_any_range("8.8.8.8", dynamic(["10.0.0.0/8", "8.8.8.0/24"]))')).toBe(true);
    expect(await value('ipv4_is_in_any_range("9.9.9.9", "10.0.0.0/8", "8.8.8.0/24")')).toBe(false);
    expect(await value('ipv4_is_match("192.168.1.1", "192.168.1.255", 24)')).toBe(true);
    expect(await value('ipv4_is_match("192.168.1.1", "192.168.2.1", 24)')).toBe(false);
  });
  it('parse_url', async () => {
    expect(await value('parse_url("https://user:pw@example.com:8443/a/b?x=1&y=z#frag")')).toEqual({
      Scheme: 'https', Host: 'example.com', Port: '8443', Path: '/a/b', Username: 'user', Password: 'pw', 'Query Parameters': { x: '1', y: 'z' }, Fragment: 'frag',
    });
  });
});
