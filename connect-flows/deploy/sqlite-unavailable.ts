// Stands in for better-sqlite3 in the Lambda bundles: a native module that the Lambda runtime
// does not have. In AWS the case store and the CRM are PostgreSQL; opening SQLite there fails
// with this message instead of the whole function failing to load.
export default class SqliteUnavailable {
  constructor() {
    throw new Error('SQLite is not available in the Lambda bundle: configure PostgreSQL (PRIVACY_DESK_DATABASE_URL[_SECRET_ID], PRIVACY_DESK_CRM_DATABASE_URL[_SECRET_ID])');
  }
}
