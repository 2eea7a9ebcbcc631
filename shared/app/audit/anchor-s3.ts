// Writing an audit anchor to S3 (`privacy-desk audit anchor --to s3://bucket/prefix`): one object
// per anchor, never overwritten. Where the bucket has Object Lock, the object is written with the
// bucket's default retention, or PRIVACY_DESK_ANCHOR_RETENTION_DAYS days in COMPLIANCE mode.
// PRIVACY_DESK_S3_ENDPOINT points the client at a compatible endpoint (tests: s3rver; MinIO).
import { createHash } from 'node:crypto';
import { GetObjectLockConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ApiInputError } from '../api';

export interface S3Target { bucket: string; prefix: string }

export function parseS3Target(url: string): S3Target {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/u.exec(url);
  if (!m) throw new ApiInputError('to: must be s3://bucket or s3://bucket/prefix');
  const prefix = (m[2] ?? '').replace(/\/+$/u, '');
  if (/[\u0000-\u001f\u007f]/u.test(prefix)) throw new ApiInputError('to: the prefix must not hold control characters');
  return { bucket: m[1]!, prefix };
}

export async function writeAnchorToS3(target: S3Target, anchor: { seq: number; at: string }, body: string, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; objectLock: boolean; retainUntil: string | null }> {
  const endpoint = env.PRIVACY_DESK_S3_ENDPOINT?.trim();
  const client = new S3Client({ ...(endpoint ? { endpoint, forcePathStyle: true } : {}), region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' });
  try {
    let objectLock = false;
    let retainUntil: string | null = null;
    try {
      const lock = await client.send(new GetObjectLockConfigurationCommand({ Bucket: target.bucket }));
      objectLock = lock.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
    } catch { /* no Object Lock on this bucket (or not supported by the endpoint) */ }
    const days = Number(env.PRIVACY_DESK_ANCHOR_RETENTION_DAYS ?? '');
    const explicit = objectLock && Number.isInteger(days) && days > 0;
    if (explicit) retainUntil = new Date(Date.parse(anchor.at) + days * 86_400_000).toISOString();
    const key = `${target.prefix ? `${target.prefix}/` : ''}audit-anchor-${String(anchor.seq).padStart(12, '0')}-${anchor.at.replace(/[:.]/gu, '-')}.json`;
    await client.send(new PutObjectCommand({
      Bucket: target.bucket, Key: key, Body: body, ContentType: 'application/json',
      ContentMD5: createHash('md5').update(body).digest('base64'),
      ...(explicit ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date(retainUntil!) } : {}),
    }));
    return { url: `s3://${target.bucket}/${key}`, objectLock, retainUntil };
  } finally {
    client.destroy();
  }
}
