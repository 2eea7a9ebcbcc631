// The pure parts of the data-stores-at-scale engines: partition paths, locations, matching rules,
// retry backoff, DynamoDB attribute values, Redshift dialect, Athena literals, replay hashing.
import { describe, it, expect } from 'vitest';
import { groupByPartition, partitionValues } from '../../../shared/adapters/lake/partitions';
import { isDataObject } from '../../../shared/adapters/lake/object-store';
import { LakeConfigSchema, parseLocation } from '../../../shared/adapters/lake/table-spec';
import { matchKind, normalizedSql, normalizedValues } from '../../../shared/adapters/lake/identity-match';
import { backoffMs, isRetryable, withRetry } from '../../../shared/adapters/dynamodb/retry';
import { fromItem, toAttr, keyAttr } from '../../../shared/adapters/dynamodb/attribute-value';
import { chunks, normalizedColumn, placeholders, qualified } from '../../../shared/adapters/redshift/dialect';
import { literal } from '../../../shared/adapters/athena/query-runner';
import { hashInput, phoneFromDigits, rowsChanged } from '../../../shared/adapters/lake/ledger-replay';

describe('lake paths', () => {
  it('groups files by Hive partition folder and reads the values', () => {
    const files = ['t/year=2024/month=01/a.parquet', 't/year=2024/month=01/b.parquet', 't/year=2024/month=02/c.parquet', 't/root.parquet']
      .map((key) => ({ key, size: 1, version: 'v' }));
    const parts = groupByPartition('t', files);
    expect(parts.map((p) => [p.path, p.files.length])).toEqual([['', 1], ['year=2024/month=01', 2], ['year=2024/month=02', 1]]);
    expect(partitionValues('year=2024/city=New%20York')).toEqual({ year: '2024', city: 'New York' });
  });

  it('counts only data files, never markers or scratch files', () => {
    expect(isDataObject('t/day=1/part-0.parquet')).toBe(true);
    expect(isDataObject('t/day=1/.privacydesk-tmp-1-part-0.parquet')).toBe(false);
    expect(isDataObject('t/_SUCCESS')).toBe(false);
    expect(isDataObject('t/_temporary/part-0.parquet')).toBe(false);
    expect(isDataObject('t/day=1/part-0.csv')).toBe(false);
  });

  it('parses lake locations and rejects relative folders and bad buckets', () => {
    expect(parseLocation('s3://my-bucket/a/b/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'a/b' });
    expect(parseLocation('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseLocation('file:///data/lake')).toEqual({ kind: 'local', dir: '/data/lake' });
    expect(() => parseLocation('data/lake')).toThrow(/absolute path/u);
    expect(() => parseLocation('s3://Bad_Bucket/x')).toThrow(/bucket/u);
  });

  it('validates a lake config naming the field', () => {
    const r = LakeConfigSchema.safeParse({ location: '/x', tables: [{ name: 't', path: 't', identities: [{ column: 'e-mail', kind: 'email' }] }, { name: 't', path: 'u', identities: [{ column: 'e', kind: 'sms' }] }] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['tables.0.identities.0.column', 'tables.1.identities.0.kind']));
  });
});

describe('matching rules', () => {
  it('normalises requested values like the SQL normalises stored ones', () => {
    expect(normalizedValues('email', '  Ann@Example.COM ', 'US')).toEqual(['ann@example.com']);
    expect(normalizedValues('phone', '+1 (415) 555-0101', 'US')).toEqual(['14155550101', '4155550101']);
    expect(normalizedValues('phone', '+44 20 7946 0958', 'US')).toEqual(['442079460958']);
    expect(normalizedValues('phone', '12', 'US')).toEqual([]);
    expect(normalizedValues('postal', 'sw1a 1aa', 'US')).toEqual(['SW1A1AA']);
    expect(normalizedValues('custom', 'K-1', 'US')).toEqual(['K-1']);
    expect(normalizedValues('email', null, 'US')).toEqual([]);
    expect(normalizedSql({ column: 'email', kind: 'email' })).toBe('lower(trim(CAST(t."email" AS VARCHAR)))');
    expect(normalizedSql({ column: 'we"ird', kind: 'custom' })).toBe('CAST(t."we""ird" AS VARCHAR)');
  });

  it('uses the declared identity kind, else the match\'s normalize hint', () => {
    expect(matchKind('email', 'phone')).toBe('email');
    expect(matchKind(undefined, 'phone')).toBe('phone');
    expect(matchKind(undefined, 'postal')).toBe('postal');
    expect(matchKind(undefined, undefined)).toBe('custom');
  });
});

describe('DynamoDB helpers', () => {
  it('retries only throttling and server errors, with capped jittered backoff', async () => {
    expect(isRetryable({ name: 'ProvisionedThroughputExceededException' })).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    const p = { maxAttempts: 5, baseMs: 50, capMs: 300, random: () => 0.999 };
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, p))).toEqual([49, 99, 199, 299, 299]);
    let calls = 0;
    const slept: number[] = [];
    const v = await withRetry(async () => { calls += 1; if (calls < 3) throw Object.assign(new Error('t'), { name: 'ThrottlingException' }); return 'ok'; }, { ...p, sleep: async (ms) => { slept.push(ms); } });
    expect([v, calls, slept.length]).toEqual(['ok', 3, 2]);
    await expect(withRetry(async () => { throw Object.assign(new Error('bad'), { name: 'ValidationException' }); }, { ...p, sleep: async () => {} })).rejects.toThrow('bad');
  });

  it('converts attribute values both ways', () => {
    const item = { s: { S: 'x' }, n: { N: '12' }, big: { N: '12345678901234567890' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ S: 'a' }] }, m: { M: { k: { N: '1.5' } } }, ss: { SS: ['a', 'b'] } };
    expect(fromItem(item)).toEqual({ s: 'x', n: 12, big: '12345678901234567890', b: true, z: null, l: ['a'], m: { k: 1.5 }, ss: ['a', 'b'] });
    expect(toAttr({ a: [1, 'x', null] })).toEqual({ M: { a: { L: [{ N: '1' }, { S: 'x' }, { NULL: true }] } } });
    expect(keyAttr(7, 'N')).toEqual({ N: '7' });
  });
});

describe('Redshift dialect and Athena literals', () => {
  it('builds Redshift-safe SQL pieces', () => {
    expect(placeholders(3, 3)).toBe('$3, $4, $5');
    expect(qualified('public', 'my"t')).toBe('"public"."my""t"');
    expect(normalizedColumn('phone', 'phone')).toBe(`TRANSLATE(CAST("phone" AS VARCHAR(65535)), ' ()-.+/', '')`);
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('quotes Athena execution parameters as literals', () => {
    expect(literal("o'neil")).toBe("'o''neil'");
    expect(literal("' OR 1=1 --")).toBe("''' OR 1=1 --'");
    expect(literal(2.5)).toBe('2.5');
  });
});

describe('ledger replay hashing', () => {
  it('turns stored phone digits back into E.164 and custom columns into custom kinds', () => {
    expect(phoneFromDigits('14155550101', 'US')).toBe('+14155550101');
    expect(phoneFromDigits('4155550101', 'US')).toBe('+14155550101');
    expect(phoneFromDigits('442079460958', 'US')).toBe('+442079460958');
    expect(phoneFromDigits('123', 'US')).toBeNull();
    expect(hashInput('custom', 'loyalty_no', ' L-1 ', 'US')).toEqual({ kind: 'custom:loyalty_no', value: 'L-1' });
    expect(hashInput('email', 'email', 'a@b.co', 'US')).toEqual({ kind: 'email', value: 'a@b.co' });
  });

  it('reads the rows changed from every engine\'s result shape', () => {
    expect(rowsChanged({ rowsDeleted: 2, rowsMasked: 1 }, false)).toBe(3);
    expect(rowsChanged({ matched: 4, deleted: 0 }, true)).toBe(4);
    expect(rowsChanged({ matched: 4, flagged: 4 }, false)).toBe(4);
  });
});
