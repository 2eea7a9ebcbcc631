// privacy-desk ivr simulate --flow FILE --caller +1... [--input X]... [--json]
//   [--template FILE | --no-template] [--crm-db FILE --crm-table T --crm-columns JSON]
//   [--param NAME=VALUE]... [--attribute NAME=VALUE]... [--lambda-timeout-ms N]
//   [--lex-bot BOTID/ALIASID[/LOCALE] [--lex-region R] [--lex-endpoint URL]]  (real Lex instead of the local matcher)
// Runs one call through a Connect flow with the real Lambda handlers in-process (see
// connect-flows/simulator). Cases go to the case store named by --db/--database-url, or to a
// temporary one. Without --crm-db a demo CRM is used (docs/PHONE.md lists its customers).
// Exit status: 0 the call ran (whatever its outcome), 1 it could not run, 2 bad input.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { appConfigFrom } from '../open-app';
import { DEFAULT_TEMPLATE } from './flows';
import { FlowLoadError, parseFlow } from '../../connect-flows/lib/flow-load';
import { loadTemplate, TemplateLoadError } from '../../connect-flows/lib/template';
import { simulateCall } from '../../connect-flows/simulator/simulate';
import { openSandbox, type SandboxOptions } from '../../connect-flows/simulator/sandbox';
import { CrmDirectoryConfigSchema, LexRecognizer, setLogSink } from '../../connect-flows/simulator/shell-support';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { maskIdentity, normalizePhone } from '../../shared/domain/identity';

const InputSchema = z.string().max(64, 'an --input is at most 64 characters');

export const ivr: CommandGroup = {
  simulate: async (argv, globals, io) => {
    const { values } = parse(argv, {
      flow: { type: 'string' }, caller: { type: 'string' }, input: { type: 'string', multiple: true }, json: { type: 'boolean' },
      template: { type: 'string' }, 'no-template': { type: 'boolean' },
      'crm-db': { type: 'string' }, 'crm-table': { type: 'string' }, 'crm-columns': { type: 'string' },
      'lex-bot': { type: 'string' }, 'lex-endpoint': { type: 'string' }, 'lex-region': { type: 'string' },
      param: { type: 'string', multiple: true }, attribute: { type: 'string', multiple: true }, 'lambda-timeout-ms': { type: 'string' },
    }, false);
    if (!values.flow) throw new UsageError('--flow FILE is required');
    let caller: string | null = null;
    if (values.caller !== undefined && values.caller !== 'anonymous') {
      caller = normalizePhone(values.caller);
      if (!caller) throw new UsageError('--caller: must be a phone number in E.164 (e.g. +14155550100) or "anonymous"');
    }
    const inputs = (values.input ?? []).map((v, i) => {
      const r = InputSchema.safeParse(v);
      if (!r.success) throw new UsageError(`--input #${i + 1}: ${r.error.issues[0]!.message}`);
      return r.data;
    });
    let lambdaTimeoutMs: number | undefined;
    if (values['lambda-timeout-ms'] !== undefined) {
      lambdaTimeoutMs = Number(values['lambda-timeout-ms']);
      if (!Number.isInteger(lambdaTimeoutMs) || lambdaTimeoutMs < 1 || lambdaTimeoutMs > 8000) throw new UsageError('--lambda-timeout-ms: an integer 1..8000');
    }
    const params: Record<string, string> = {};
    for (const kv of values.param ?? []) {
      const i = kv.indexOf('=');
      if (i <= 0) throw new UsageError('--param: expected NAME=VALUE');
      params[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const attributes: Record<string, string> = {};
    for (const kv of values.attribute ?? []) {
      const i = kv.indexOf('=');
      if (i <= 0) throw new UsageError('--attribute: expected NAME=VALUE');
      attributes[kv.slice(0, i)] = kv.slice(i + 1);
    }
    let flowText: string;
    try { flowText = readFileSync(values.flow, 'utf8'); } catch { throw new UsageError(`--flow: cannot read ${values.flow}`); }
    let flow;
    try { flow = parseFlow(flowText, values.flow).flow; } catch (e) {
      if (e instanceof FlowLoadError) throw new UsageError(e.message);
      throw e;
    }
    let template = null;
    if (!values['no-template']) {
      const file = values.template ?? DEFAULT_TEMPLATE;
      if (existsSync(file) || values.template) {
        try { template = loadTemplate(file); } catch (e) {
          if (e instanceof TemplateLoadError) throw new UsageError(e.message);
          throw e;
        }
      }
    }
    const opts: SandboxOptions = {};
    if (globals.db || globals.databaseUrl) {
      const { dataDir, db } = appConfigFrom(globals);
      opts.appConfig = { dataDir, db };
    }
    if (values['crm-db']) {
      let columns: unknown;
      try { columns = JSON.parse(values['crm-columns'] ?? ''); } catch { throw new UsageError('--crm-columns: a JSON object is required with --crm-db (phone, customerId, ...)'); }
      const cfg = CrmDirectoryConfigSchema.safeParse({ table: values['crm-table'] ?? 'customers', columns });
      if (!cfg.success) throw new UsageError(`--crm-columns: ${cfg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      opts.crm = { source: { kind: 'sqlite', file: resolve(values['crm-db']) }, ...cfg.data };
    }

    if (values['lex-bot']) {
      // Talk to a real Lex V2 bot (or a stand-in endpoint) instead of the local intent matcher.
      const [botId, botAliasId, localeId] = values['lex-bot'].split('/');
      if (!botId || !botAliasId) throw new UsageError('--lex-bot: expected BOTID/ALIASID[/LOCALE]');
      const client = new LexRuntimeV2Client({
        ...(values['lex-region'] ? { region: values['lex-region'] } : {}),
        ...(values['lex-endpoint'] ? { endpoint: values['lex-endpoint'] } : {}),
      });
      try {
        opts.recognizer = new LexRecognizer({ botId, botAliasId, localeId: localeId ?? 'en_US' }, client);
      } catch (e) {
        if (e instanceof z.ZodError) throw new UsageError(`--lex-bot: ${e.issues.map((i) => i.message).join('; ')}`);
        throw e;
      }
    } else if (values['lex-endpoint'] || values['lex-region']) throw new UsageError('--lex-endpoint and --lex-region need --lex-bot');
    // With a time limit to enforce, each Lambda runs in a worker thread that the limit really cuts off.
    if (lambdaTimeoutMs !== undefined) opts.isolate = true;
    const sandbox = await openSandbox(opts);
    setLogSink((line) => io.stderr(`${line}\n`)); // keep stdout for the transcript (--json)
    let running: Array<Promise<unknown>> = [];
    try {
      const result = await simulateCall({
        flow, template, lambdas: sandbox.lambdas, recognizer: sandbox.recognizer, encrypt: sandbox.encrypt,
        caller, inputs, parameters: { ...sandbox.parameters, ...params }, lambdaTimeoutMs, attributes,
      });
      // The cases this call created (one per contact and action, phone_contact_cases), not the ones a look-up read.
      const refs = new Set<string>();
      for (const action of ['opt_out', 'delete', 'access']) {
        const made = await sandbox.app.call('phone.contactCase', { contactId: result.contactId, action }, { actor: 'cli:ivr' });
        if (made.found && made.caseId) refs.add(made.caseId);
      }
      const cases = [];
      for (const id of refs) {
        await sandbox.app.settle(id);
        const c = await sandbox.app.call('cases.get', { id }, { actor: 'cli:ivr' });
        cases.push({ id: c.id, type: c.type, channel: c.channel, status: c.status, verification: c.verification.level, dataPoints: c.verification.dataPoints });
      }
      const { stillRunning, ...shown } = result;
      running = stillRunning;
      const out = { flow: values.flow, caller: caller ? maskIdentity('phone', caller) : 'anonymous', ...shown, cases };
      if (values.json) io.stdout(json(out));
      else {
        for (const t of result.transcript) {
          const line = t.event === 'prompt' ? `PROMPT  ${t.text}`
            : t.event === 'input' ? `INPUT   ${t.value}`
              : t.event === 'intent' ? `INTENT  "${t.said}" -> ${t.intent ?? 'none'}`
                : t.event === 'lambda' ? `LAMBDA  ${t.function} ${t.ok ? JSON.stringify(t.result) : t.error}`
                  : t.event === 'branch' ? `BRANCH  ${t.via} -> ${t.to}`
                    : t.event === 'attributes' ? `SET     ${JSON.stringify(t.set)}`
                      : t.event === 'queue' ? `QUEUE   ${t.queue}` : `NOTE    ${t.text}`;
          io.stdout(`${String(t.step).padStart(3)} ${t.action}: ${line}\n`);
        }
        io.stdout(`END     ${result.end.how}${result.end.action ? ` at "${result.end.action}"` : ''}${result.end.queue ? ` (queue ${result.end.queue})` : ''}\n`);
        for (const c of cases) io.stdout(`CASE    ${c.id} ${c.type} ${c.status} verification=${c.verification}\n`);
      }
      return 0;
    } finally {
      // A Lambda the flow stopped waiting for may still log: its lines go to stderr too, never after the JSON on stdout.
      if (running.length) void Promise.allSettled(running).then(() => setLogSink(null));
      else setLogSink(null);
      await sandbox.close();
    }
  },
};

export default ivr;
