// privacy-desk flows validate FILE... [--template FILE | --no-template] [--strict] [--json]
//   Checks Amazon Connect flows (see connect-flows/validator). Exit status: 0 clean, 1 faults
//   found, 2 a file cannot be read as a flow (or the template cannot be read).
// privacy-desk flows export-lex --out FILE.zip [--bot FILE] [--template FILE]
//   Writes the Lex V2 bot in the import/export format (Lex console "Import", StartImport) from the
//   same definition the template deploys (lex/privacy-line-bot.json and the AWS::Lex::Bot).
// privacy-desk flows render FILE --param NAME=VALUE... [--out FILE]
//   Fills the ${Name} / ${Name.Arn} placeholders (what the template's Fn::Sub does) to import a
//   flow by hand in the Connect console. Every placeholder must get a value (else exit 2).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { FlowLoadError, loadFlowFile, parseFlow } from '../../connect-flows/lib/flow-load';
import { loadTemplate, TemplateLoadError, type TemplateModel } from '../../connect-flows/lib/template';
import { validateFlow, type FlowReport } from '../../connect-flows/validator/validate-flow';
import { botSettings, lexImportFiles, lexImportZip } from '../../connect-flows/lex/lex-import';
import { DEFAULT_BOT_FILE, loadBotLocale } from '../../connect-flows/lex/intent-matcher';

export const DEFAULT_TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'connect-flows', 'template.yaml');

type FileResult = { file: string; readable: true; ok: boolean } & FlowReport | { file: string; readable: false; ok: false; problem: string };

export const flows: CommandGroup = {
  validate: async (argv, _globals, io) => {
    const { values, positionals } = parse(argv, {
      template: { type: 'string' }, 'no-template': { type: 'boolean' }, strict: { type: 'boolean' }, json: { type: 'boolean' },
    });
    if (!positionals.length) throw new UsageError('usage: privacy-desk flows validate FILE... [--template FILE | --no-template] [--strict] [--json]');
    if (values.template && values['no-template']) throw new UsageError('use either --template or --no-template');
    let template: TemplateModel | null = null;
    if (!values['no-template']) {
      const file = values.template ?? DEFAULT_TEMPLATE;
      if (!values.template && !existsSync(file)) throw new UsageError(`no template at ${file}; pass --template FILE or --no-template`);
      try {
        template = loadTemplate(file);
      } catch (e) {
        if (e instanceof TemplateLoadError) { io.stderr(`privacy-desk: ${e.message}\n`); return 2; }
        throw e;
      }
    }
    const results: FileResult[] = positionals.map((file) => {
      try {
        const report = validateFlow(loadFlowFile(file), template);
        const ok = report.errors === 0 && (!values.strict || report.warnings === 0);
        return { file, readable: true as const, ok, ...report };
      } catch (e) {
        if (e instanceof FlowLoadError) return { file, readable: false as const, ok: false as const, problem: e.message };
        throw e;
      }
    });
    if (values.json) io.stdout(json({ template: template?.file ?? null, files: results }));
    else for (const r of results) io.stdout(describe(r));
    if (results.some((r) => !r.readable)) return 2;
    return results.every((r) => r.ok) ? 0 : 1;
  },
};

function describe(r: FileResult): string {
  if (!r.readable) return `${r.file}: CANNOT READ: ${r.problem}\n`;
  const types = Object.entries(r.byType).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');
  const lines = [
    `${r.file}: ${r.ok ? 'OK' : 'FAULTS'} (${r.errors} error(s), ${r.warnings} warning(s))`,
    `  ${r.actions} actions: ${types}`,
    `  Lambdas: ${r.lambdas.length ? r.lambdas.join(', ') : 'none'}`,
    `  Lex bots: ${r.lexBots.length ? r.lexBots.join(', ') : 'none'}`,
    `  encrypted inputs: ${r.encryptedInputs.length ? r.encryptedInputs.join(', ') : 'none'}`,
    ...r.findings.map((f) => `  ${f.severity.toUpperCase()} [${f.code}] ${f.action ?? '(flow)'}: ${f.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

flows.render = async (argv, _globals, io) => {
  const { values, positionals } = parse(argv, { param: { type: 'string', multiple: true }, out: { type: 'string' } });
  const file = positionals.length === 1 ? positionals[0]! : undefined;
  if (!file) throw new UsageError('usage: privacy-desk flows render FILE --param NAME=VALUE... [--out FILE]');
  const params = new Map<string, string>();
  for (const kv of values.param ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError('--param: expected NAME=VALUE (e.g. CrmLookupFunction.Arn=arn:aws:lambda:...)');
    params.set(kv.slice(0, i), kv.slice(i + 1));
  }
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { throw new UsageError(`cannot read ${file}`); }
  try { parseFlow(text, file); } catch (e) {
    if (e instanceof FlowLoadError) throw new UsageError(e.message);
    throw e;
  }
  const missing = new Set<string>();
  // Substitute inside JSON string values so the result stays valid JSON whatever the values hold.
  const rendered = JSON.stringify(JSON.parse(text, (_k, v: unknown) => (typeof v === 'string'
    ? v.replace(/\$\{([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?)\}/gu, (m, name: string) => {
      const value = params.get(name);
      if (value === undefined) { missing.add(name); return m; }
      return value.replace(/\\n/gu, '\n');
    })
    : v)), null, 2);
  if (missing.size) throw new UsageError(`no value for ${[...missing].map((n) => `\${${n}}`).join(', ')}: pass --param NAME=VALUE for each`);
  if (values.out) writeFileSync(values.out, `${rendered}\n`);
  else io.stdout(`${rendered}\n`);
  return 0;
};

flows['export-lex'] = async (argv, _globals, io) => {
  const { values } = parse(argv, { out: { type: 'string' }, bot: { type: 'string' }, template: { type: 'string' }, json: { type: 'boolean' } });
  if (!values.out || !/\.zip$/iu.test(values.out)) throw new UsageError('usage: privacy-desk flows export-lex --out FILE.zip [--bot FILE] [--template FILE] [--json]');
  let locale;
  let settings;
  try {
    locale = loadBotLocale(values.bot ?? DEFAULT_BOT_FILE);
    settings = botSettings(values.template ?? DEFAULT_TEMPLATE);
  } catch (e) {
    io.stderr(`privacy-desk: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const zip = lexImportZip(locale, settings);
  writeFileSync(values.out, zip);
  const files = lexImportFiles(locale, settings).map((f) => f.name);
  if (values.json) io.stdout(json({ out: values.out, bytes: zip.length, files }));
  else io.stdout(`${values.out}: Lex V2 import zip of bot ${settings.name} (${files.length} files, ${zip.length} bytes)\n`);
  return 0;
};

export default flows;
