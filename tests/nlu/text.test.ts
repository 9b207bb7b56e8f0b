import { describe, expect, it } from 'vitest';
import { editDistance, Lexicon, Scan, stem } from '../../src/nlu/text.ts';

describe('text helpers', () => {
  it('counts a swap of neighbours as one typo', () => {
    expect(editDistance('devcies', 'devices', 2)).toBe(1);
    expect(editDistance('conections', 'connections', 2)).toBe(1);
    expect(editDistance('pubic', 'public', 2)).toBe(1);
    expect(editDistance('weather', 'whether', 2)).toBe(2);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2); // gives up past the limit
  });

  it('stems plurals and -ing forms to one word', () => {
    expect(['connections', 'connecting', 'connection', 'connect'].map(stem)).toEqual(['connect', 'connect', 'connect', 'connect']);
    expect(['devices', 'addresses', 'processes', 'ips'].map(stem)).toEqual(['device', 'address', 'process', 'ip']);
  });

  it('corrects words but not names, short words or protected words', () => {
    const lexicon = new Lexicon(['connections', 'public', 'devices', 'last'], new Set(['teams']));
    expect(lexicon.correctText('LIST devcies conecting pubic')).toBe('LIST devices conecting public');
    expect(lexicon.correctText('on WS-0042 by pubic.exe, teams, lsat')).toBe('on WS-0042 by pubic.exe, teams, lsat');
  });

  it('masks what was read so later patterns skip it', () => {
    const scan = new Scan('on 2026-11-02 on WS-0042');
    scan.take(/on \d{4}-\d{2}-\d{2}/g, () => undefined);
    const rest: string[] = [];
    scan.take(/\bon\s+(\S+)/g, (m) => void rest.push(m[1]));
    expect(rest).toEqual(['WS-0042']);
  });
});
