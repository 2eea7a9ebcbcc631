// Argument parsing for CLI commands: node:util parseArgs, errors as UsageError (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /u, ''));
  }
}

export function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0]!;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
