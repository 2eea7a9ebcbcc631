// Stands in for @duckdb/node-api (native bindings) in the Lambda bundles: the phone Lambdas never
// scan data lakes, but the app they load can. Using it in a Lambda fails with this message.
export class DuckDBInstance {
  static async create(): Promise<never> {
    throw new Error('DuckDB is not available in the phone Lambda bundle (data-lake scans run in the console or a worker, not in Connect Lambdas)');
  }
}
