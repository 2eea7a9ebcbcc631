// Test helper: a local HTTP endpoint speaking Athena's JSON protocol to the real SDK client. It
// records every call and answers with canned results from a function the test provides; queries
// report RUNNING once before SUCCEEDED (so the client must poll), results come in pages of 2 rows.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedResult { columns: Array<{ name: string; type: string }>; rows: Array<Array<string | null>> }
export interface RecordedCall { target: string; body: Record<string, unknown> }

export interface LocalAthena {
  endpoint: string;
  calls: RecordedCall[];
  stop(): Promise<void>;
}

export async function startAthena(
  answer: (sql: string, params: string[]) => CannedResult | { fail: string },
  table: { columns: Array<{ name: string; type: string }>; partitionKeys: Array<{ name: string; type: string }> },
): Promise<LocalAthena> {
  const calls: RecordedCall[] = [];
  const queries = new Map<string, { sql: string; params: string[]; polls: number; output: string }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle();
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InvalidRequestException', Message: `test endpoint: ${String(e)}` }));
      }
    });
    const handle = () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonAthena\./u, '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      const q = queries.get(String(body.QueryExecutionId ?? ''));
      switch (target) {
        case 'StartQueryExecution': {
          const id = `q${queries.size + 1}`;
          const output = `${String((body.ResultConfiguration as { OutputLocation: string }).OutputLocation)}${id}.csv`;
          queries.set(id, { sql: String(body.QueryString), params: (body.ExecutionParameters as string[] | undefined) ?? [], polls: 0, output });
          send(200, { QueryExecutionId: id });
          return;
        }
        case 'GetQueryExecution': {
          if (!q) { send(400, { __type: 'InvalidRequestException', Message: 'no such query' }); return; }
          q.polls += 1;
          const a = answer(q.sql, q.params);
          const state = q.polls < 2 ? 'RUNNING' : 'fail' in a ? 'FAILED' : 'SUCCEEDED';
          send(200, { QueryExecution: {
            QueryExecutionId: body.QueryExecutionId, Query: q.sql,
            Status: { State: state, ...('fail' in a && state === 'FAILED' ? { StateChangeReason: a.fail } : {}) },
            ResultConfiguration: { OutputLocation: q.output }, Statistics: { DataScannedInBytes: 1024 },
          } });
          return;
        }
        case 'GetQueryResults': {
          if (!q) { send(400, { __type: 'InvalidRequestException', Message: 'no such query' }); return; }
          const a = answer(q.sql, q.params) as CannedResult;
          const all = [a.columns.map((c) => c.name), ...a.rows];
          const start = body.NextToken ? Number(body.NextToken) : 0;
          const page = all.slice(start, start + 2);
          send(200, {
            ResultSet: {
              Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
              ResultSetMetadata: { ColumnInfo: a.columns.map((c) => ({ Name: c.name, Label: c.name, Type: c.type, CatalogName: 'hive', SchemaName: '', TableName: '' })) },
            },
            ...(start + 2 < all.length ? { NextToken: String(start + 2) } : {}),
          });
          return;
        }
        case 'GetTableMetadata':
          send(200, { TableMetadata: { Name: body.TableName, TableType: 'EXTERNAL_TABLE', Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type })), PartitionKeys: table.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })) } });
          return;
        case 'StopQueryExecution':
          send(200, {});
          return;
        default:
          send(400, { __type: 'InvalidRequestException', Message: `unsupported ${target}` });
      }
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
