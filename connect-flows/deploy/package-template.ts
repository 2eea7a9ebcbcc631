// The package step: template.yaml references its contact flows and the Lex bot locale as
// '@file:PATH' (relative to the template). This prints a deployable template with each one
// inlined: a flow as `!Sub` of its JSON (so ${Function.Arn}, ${PrivacyBotAlias.Arn} and the
// key parameters resolve at deploy time), the bot locale as a one-element list.
// Local CodeUri folders (the bundles of deploy/bundle-lambdas.ts) are made absolute.
// Usage: npx tsx connect-flows/deploy/package-template.ts [TEMPLATE] > packaged.yaml
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlow } from '../lib/flow-load';
import { loadBotLocale } from '../lex/intent-matcher';

export function packageTemplate(templateFile: string): string {
  const base = dirname(resolve(templateFile));
  const lines = readFileSync(templateFile, 'utf8').split('\n');
  return lines.map((line) => {
    const code = /^(\s*)CodeUri: (\S+)\s*$/u.exec(line);
    // Local code folders become absolute, so the packaged template can be written anywhere.
    if (code && !/^s3:\/\//u.test(code[2]!)) return `${code[1]}CodeUri: ${join(base, code[2]!)}`;
    const m = /^(\s*)(Content|BotLocales): '@file:([^']+)'\s*$/u.exec(line);
    if (!m) return line;
    const [, indent, key, rel] = m as unknown as [string, string, string, string];
    const file = join(base, rel);
    if (key === 'BotLocales') return `${indent}BotLocales: [${JSON.stringify(loadBotLocale(file))}]`;
    const text = readFileSync(file, 'utf8');
    parseFlow(text, file); // refuse to package something that is not a flow
    return `${indent}Content: !Sub |\n${indent}  ${JSON.stringify(JSON.parse(text))}`;
  }).join('\n');
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'template.yaml');
  process.stdout.write(packageTemplate(resolve(file)));
}
