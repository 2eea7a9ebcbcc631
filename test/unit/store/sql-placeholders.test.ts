import { describe, it, expect } from 'vitest';
import { toPositional } from '../../../shared/store/sql-placeholders';

describe('toPositional', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b = ?', 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
    ["SELECT '?', ? FROM t", "SELECT '?', $1 FROM t", 1],
    ["SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1", 1],
    ["SELECT E'a\\'?' , ?", "SELECT E'a\\'?' , $1", 1],
    ['SELECT "col?" FROM "t""?" WHERE x = ?', 'SELECT "col?" FROM "t""?" WHERE x = $1', 1],
    ['SELECT ? -- what?\n, ?', 'SELECT $1 -- what?\n, $2', 2],
    ['SELECT /* ? */ ?', 'SELECT /* ? */ $1', 1],
    ['CREATE FUNCTION f() RETURNS int AS $$ SELECT ? $$ LANGUAGE sql; SELECT ?', 'CREATE FUNCTION f() RETURNS int AS $$ SELECT ? $$ LANGUAGE sql; SELECT $1', 1],
    ['DO $body$ BEGIN PERFORM ?; END $body$; SELECT ?', 'DO $body$ BEGIN PERFORM ?; END $body$; SELECT $1', 1],
    ['SELECT $1x, ?', 'SELECT $1x, $1', 1],
    ['INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', 'INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', 11],
  ])('%s', (sql, text, count) => {
    expect(toPositional(sql)).toEqual({ text, count });
  });
});
