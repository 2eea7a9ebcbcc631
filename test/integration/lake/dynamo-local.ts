// Test helper: dynalite (local DynamoDB) on a free port, behind a small proxy that can answer like
// a throttled DynamoDB or hand back a BatchWriteItem as unprocessed, to test retries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';

export interface Faults {
  /** Answer this many next requests with ProvisionedThroughputExceededException. */
  throttleNext: number;
  /** Answer the next BatchWriteItem with every item unprocessed (nothing written). */
  unprocessNextBatchWrite: boolean;
  calls: string[];
}

export interface LocalDynamo { endpoint: string; faults: Faults; stop(): Promise<void> }

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startDynamo(): Promise<LocalDynamo> {
  const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  const dbPort = await listen(db);
  const faults: Faults = { throttleNext: 0, unprocessNextBatchWrite: false, calls: [] };
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      faults.calls.push(target);
      if (faults.throttleNext > 0) {
        faults.throttleNext -= 1;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'throttled (test)' }));
        return;
      }
      if (target === 'BatchWriteItem' && faults.unprocessNextBatchWrite) {
        faults.unprocessNextBatchWrite = false;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ UnprocessedItems: JSON.parse(body.toString('utf8')).RequestItems }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const up = await fetch(`http://127.0.0.1:${dbPort}${req.url}`, { method: req.method, headers, body });
      const out = Buffer.from(await up.arrayBuffer());
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
      res.end(out);
    });
  });
  const port = await listen(proxy);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    stop: async () => {
      await new Promise<void>((r) => proxy.close(() => r()));
      await new Promise<void>((r) => db.close(() => r()));
    },
  };
}
