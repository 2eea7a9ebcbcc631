// Child process of test/unit/store/encryption-sdk-parts.test.ts: one encrypt and decrypt through the
// product's PiiCrypto (local key, or KMS when PRIVACY_DESK_KMS_KEY_ARN and PRIVACY_DESK_KMS_ENDPOINT
// are set), then prints which @aws-crypto / KMS packages the process loaded.
import { createRequire } from 'node:module';
import { createPiiCrypto } from '../../shared/crypto/envelope';

const c = await createPiiCrypto({ dataDir: process.argv[2]! });
const ct = await c.encrypt(new TextEncoder().encode('dana@example.com'), { purpose: 'test' });
const back = new TextDecoder().decode(await c.decrypt(ct, { purpose: 'test' }));
const loaded = Object.keys(createRequire(import.meta.url).cache)
  .map((k) => /node_modules\/((?:@aws-crypto|@aws-sdk)\/[^/]+)/u.exec(k)?.[1])
  .filter((v): v is string => Boolean(v));
process.stdout.write(JSON.stringify({ back, loaded: [...new Set(loaded)].sort() }));
