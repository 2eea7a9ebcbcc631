// The CLI's plumbing shared by every command group (cli/commands/<group>.ts).
// A command gets its own argv (after the group and verb), the global options and the I/O; it
// returns the exit status: 0 ok, 1 a system/operation failed, 2 bad input (UsageError), 3 partly
// done: some input refused (named) and the rest written (requests import).
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal: show progress there. */
  isTTY: boolean;
}
export interface CliGlobals {
  /** --db FILE (SQLite case store) */
  db?: string;
  /** --database-url URL (PostgreSQL case store) */
  databaseUrl?: string;
  /** --data-dir DIR (keys, outbox, reports); default: the user data folder */
  dataDir?: string;
  /** --as USER (or PRIVACY_DESK_USER): act as this staff account (its role; four-eyes decisions need it) */
  as?: string;
}
export type CommandFn = (argv: string[], globals: CliGlobals, io: CliIO) => Promise<number>;
/** group -> verb -> command; a group may also expose '' for a verb-less command. */
export type CommandGroup = Record<string, CommandFn>;

/** Bad input: exit status 2, the message names the field. Nothing has been written. */
export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}
