// Proves the import-boundary rule bites: the same imports are refused in one layer, allowed in another.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function errors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return (r?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'no Node APIs'],
    ["import fs from 'fs';", 'no Node APIs'],
    ["import Database from 'better-sqlite3';", 'no I/O packages'],
    ["import { SESv2Client } from '@aws-sdk/client-sesv2';", 'no I/O packages'],
    ["import { app } from 'electron';", 'no I/O packages'],
    ["import React from 'react';", 'must not import React'],
    ["import { openDb } from '../store/open-db';", 'imports nothing outside itself'],
  ])('shared/domain refuses %s', async (code, why) => {
    const msgs = await errors('shared/domain/example.ts', code);
    expect(msgs.join('\n')).toContain(why);
  });

  it('shared/domain may import zod, xstate and itself', async () => {
    expect(await errors('shared/domain/example.ts', "import { z } from 'zod';\nimport { setup } from 'xstate';\nimport { CASE_TYPES } from './case';\nexport { z, setup, CASE_TYPES };")).toEqual([]);
  });

  it.each([
    ["import { join } from 'node:path';"],
    ["import { ipcRenderer } from 'electron';"],
    ["import { createStore } from '../../shared/store/create-store';"],
    ["import { CaseEngine } from '../../shared/app/engine';"],
    ["import { datamapService } from '../../shared/app/datamap/service';"],
    ["import { respondCase } from '../../shared/app/services/responses';"],
    ["import { caseView } from '../../shared/app/case-view';"],
  ])('renderer refuses %s', async (code) => {
    expect((await errors('renderer/src/example.tsx', code)).length).toBeGreaterThan(0);
  });

  it('renderer may import React and the API contract', async () => {
    expect(await errors('renderer/src/example.tsx', "import React from 'react';\nimport { contract } from '../../shared/app/contract';\nexport { React, contract };")).toEqual([]);
  });

  it.each([
    ['server/example.ts', "import { openDb } from '../shared/store/open-db';"],
    ['server/example.ts', "import { SqlDataSource } from '../shared/adapters/sql-source';"],
    ['electron/example.ts', "import { createPiiCrypto } from '../shared/crypto/envelope';"],
    ['server/example.ts', "import { openApp } from '../cli/open-app';"],
    ['lambdas/intake/example.ts', "import { CrmDirectory } from '../../shared/adapters/crm-directory';"],
    ['lambdas/common/example.ts', "import { keyPaths } from '../../shared/crypto/key-files';"],
    ['lambdas/opt-out/example.ts', "import { openDb } from '../../shared/store/open-db';"],
    ['lambdas/intake/example.ts', "import { ConnectInputError } from '../../shared/crypto/connect-input-error';"],
    ['cli/commands/example.ts', "import { SqlAuditLog } from '../../shared/store/audit-log';"],
    ['cli/commands/example.ts', "import { openSqlSource } from '../../shared/adapters/sql-source';"],
    ['cli/example.ts', "import { LexRecognizer } from '../shared/channels/lex-client';"],
    ['cli/commands/example.ts', "import { setLogSink } from '../../lambdas/common/log';"],
  ])('the shell %s refuses %s', async (file, code) => {
    expect((await errors(file, code)).length).toBeGreaterThan(0);
  });

  it('a shell may import shared/app and the pure domain', async () => {
    expect(await errors('server/example.ts', "import { createApp } from '../shared/app/app';\nimport { rulesFor } from '../shared/domain/jurisdiction-rules';\nexport { createApp, rulesFor };")).toEqual([]);
  });

  it('a Lambda may import shared/app (its phone runtime), the pure domain and its own files', async () => {
    expect(await errors('lambdas/intake/example.ts', "import { runtime } from '../../shared/app/phone/runtime';\nimport { normalizePhone } from '../../shared/domain/identity';\nimport { makeLogger } from '../common/log';\nexport { runtime, normalizePhone, makeLogger };")).toEqual([]);
  });

  it('the CLI may import shared/app, the pure domain, its own helpers and the phone simulator', async () => {
    expect(await errors('cli/commands/example.ts', "import { openApp } from '../open-app';\nimport { ApiInputError } from '../../shared/app/api';\nimport { JurisdictionSchema } from '../../shared/domain/case';\nimport { simulateCall } from '../../connect-flows/simulator/simulate';\nexport { openApp, ApiInputError, JurisdictionSchema, simulateCall };")).toEqual([]);
  });

  it('the store may use Node and its database, but not the app layer', async () => {
    expect(await errors('shared/store/example.ts', "import Database from 'better-sqlite3';\nimport { join } from 'node:path';\nexport { Database, join };")).toEqual([]);
    expect((await errors('shared/store/example.ts', "import { createApp } from '../app/app';")).length).toBeGreaterThan(0);
  });
});
