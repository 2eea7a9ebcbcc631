// timestamptz text rewritten to UTC (shared/store/pg-exact-types.ts), and the parsers it installs.
import { describe, expect, it } from 'vitest';
import { exactTypes, timestamptzToUtc } from '../../../shared/store/pg-exact-types';

describe('timestamptzToUtc', () => {
  it('rewrites any session offset to +00, keeping the fraction as printed', () => {
    expect(timestamptzToUtc('2024-03-09 21:30:00.123456-05')).toBe('2024-03-10 02:30:00.123456+00');
    expect(timestamptzToUtc('2024-03-10 03:30:00.5-04')).toBe('2024-03-10 07:30:00.5+00');
    expect(timestamptzToUtc('2024-01-01 05:30:00+05:30')).toBe('2024-01-01 00:00:00+00');
    expect(timestamptzToUtc('1850-01-01 00:00:00-04:56:02')).toBe('1850-01-01 04:56:02+00');
    expect(timestamptzToUtc('2024-12-31 23:00:00-01')).toBe('2025-01-01 00:00:00+00');
    expect(timestamptzToUtc('0099-06-01 00:00:00+01')).toBe('0099-05-31 23:00:00+00');
    expect(timestamptzToUtc('12345-01-01 00:00:00-01')).toBe('12345-01-01 01:00:00+00');
  });

  it('handles BC years both ways', () => {
    expect(timestamptzToUtc('0001-01-01 00:30:00+01')).toBe('0001-12-31 23:30:00+00 BC');
    expect(timestamptzToUtc('0044-03-15 12:00:00+01 BC')).toBe('0044-03-15 11:00:00+00 BC');
    expect(timestamptzToUtc('0001-12-31 23:30:00-01 BC')).toBe('0001-01-01 00:30:00+00');
  });

  it('leaves UTC text, infinities and text it does not recognise unchanged', () => {
    for (const s of ['2024-03-10 07:30:00+00', 'infinity', '-infinity', 'Sun Mar 10 02:30:00 2024 EST', '03/10/2024 02:30:00 EST', '294276-12-31 23:59:59.999999+00', '294276-12-31 23:59:59-05']) {
      expect(timestamptzToUtc(s)).toBe(s);
    }
  });
});

describe('exactTypes', () => {
  const parse = (oid: number, text: string) => (exactTypes().getTypeParser(oid, 'text') as (s: string) => unknown)(text);
  it('date, time, timetz, timestamp, interval as text; timestamptz in UTC; arrays of them as arrays of text', () => {
    expect(parse(1082, '2024-03-10')).toBe('2024-03-10');
    expect(parse(1114, '2024-03-10 02:30:00')).toBe('2024-03-10 02:30:00');
    expect(parse(1083, '10:00:00.123456')).toBe('10:00:00.123456');
    expect(parse(1266, '02:30:00+05:30')).toBe('02:30:00+05:30');
    expect(parse(1186, '1 day 02:00:00')).toBe('1 day 02:00:00');
    expect(parse(1184, '2024-03-09 21:30:00-05')).toBe('2024-03-10 02:30:00+00');
    expect(parse(1115, '{"2024-03-10 02:30:00",NULL}')).toEqual(['2024-03-10 02:30:00', null]);
    expect(parse(1182, '{{2024-03-10,2024-03-11}}')).toEqual([['2024-03-10', '2024-03-11']]);
    expect(parse(1185, '{"2024-03-09 21:30:00-05","2024-03-10 07:30:00+00"}')).toEqual(['2024-03-10 02:30:00+00', '2024-03-10 07:30:00+00']);
  });
  it('every other type from the base parsers', () => {
    expect(parse(23, '42')).toBe(42);
    expect(parse(3802, '{"a":1}')).toEqual({ a: 1 });
    const withBase = exactTypes((oid) => (oid === 20 ? (s: string) => BigInt(s) : (s: string) => s));
    expect((withBase.getTypeParser(20, 'text') as (s: string) => unknown)('9007199254740993')).toBe(9007199254740993n);
    expect((withBase.getTypeParser(1082, 'text') as (s: string) => unknown)('2024-03-10')).toBe('2024-03-10');
  });
});
