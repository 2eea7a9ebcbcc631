// Run one Athena query to completion through the SDK: StartQueryExecution (values as execution
// parameters, never pasted into the text), GetQueryExecution polled with growing pauses until the
// query succeeds, fails or is cancelled (StopQueryExecution on timeout), then GetQueryResults page
// by page: the rows Athena wrote to the query's output location.
import {
  GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type AthenaClient, type ColumnInfo,
} from '@aws-sdk/client-athena';

export interface QueryResult {
  queryExecutionId: string;
  outputLocation: string | undefined;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  bytesScanned: number;
}

export interface RunOptions {
  database: string;
  catalog: string;
  workgroup: string;
  outputLocation: string;
  pollMs: number;
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A value as an Athena (Trino) literal, for ExecutionParameters. */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${String(v).replace(/'/gu, "''")}'`;
}

function typed(value: string | undefined, info: ColumnInfo | undefined): unknown {
  if (value === undefined) return null;
  switch ((info?.Type ?? 'varchar').toLowerCase()) {
    case 'tinyint': case 'smallint': case 'integer': case 'int': {
      return Number(value);
    }
    case 'bigint': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : value;
    }
    case 'double': case 'float': case 'real': return Number(value);
    case 'boolean': return value === 'true';
    default: return value;
  }
}

export async function runQuery(client: AthenaClient, sql: string, params: unknown[], o: RunOptions): Promise<QueryResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await client.send(new StartQueryExecutionCommand({
    QueryString: sql,
    QueryExecutionContext: { Catalog: o.catalog, Database: o.database },
    WorkGroup: o.workgroup,
    ResultConfiguration: { OutputLocation: o.outputLocation },
    ...(params.length ? { ExecutionParameters: params.map(literal) } : {}),
  }));
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena did not return a query execution id');
  let waited = 0;
  let pause = o.pollMs;
  let outputLocation: string | undefined;
  let bytesScanned = 0;
  for (;;) {
    const ex = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = ex.QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') {
      outputLocation = ex.QueryExecution?.ResultConfiguration?.OutputLocation;
      bytesScanned = Number(ex.QueryExecution?.Statistics?.DataScannedInBytes ?? 0);
      break;
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(`Athena query ${id} ${state.toLowerCase()}: ${ex.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
    }
    if (waited >= o.timeoutMs) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new Error(`Athena query ${id} did not finish within ${o.timeoutMs} ms; stopped`);
    }
    await sleep(pause);
    waited += pause;
    pause = Math.min(pause * 2, 5_000);
  }
  const rows: Array<Record<string, unknown>> = [];
  let columns: string[] = [];
  let infos: ColumnInfo[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
    if (first) {
      infos = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      columns = infos.map((c) => c.Name ?? '');
    }
    const data = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page repeats the column names.
    const body = first && data.length > 0 && data[0]!.Data?.every((d, i) => d.VarCharValue === columns[i]) ? data.slice(1) : data;
    for (const r of body) {
      const row: Record<string, unknown> = {};
      columns.forEach((c, i) => { row[c] = typed(r.Data?.[i]?.VarCharValue, infos[i]); });
      rows.push(row);
    }
    first = false;
    token = page.NextToken;
  } while (token);
  return { queryExecutionId: id, outputLocation, columns, rows, bytesScanned };
}
