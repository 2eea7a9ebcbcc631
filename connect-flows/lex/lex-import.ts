// The Lex V2 bot in the import/export format (what StartImport and the Lex console's "Import"
// take), generated from the one definition the CloudFormation template deploys: the bot locale
// in lex/privacy-line-bot.json (CloudFormation's BotLocale shape, inlined by package-template)
// and the bot's own settings on the template's AWS::Lex::Bot resource.
//   Manifest.json
//   <Bot>/Bot.json
//   <Bot>/BotLocales/<locale>/BotLocale.json
//   <Bot>/BotLocales/<locale>/Intents/<intent>/Intent.json
//   <Bot>/BotLocales/<locale>/Intents/<intent>/Slots/<slot>/Slot.json
//   <Bot>/BotLocales/<locale>/SlotTypes/<type>/SlotType.json
// Keys are camelCase; enum values as the import format spells them (ORIGINAL_VALUE -> OriginalValue).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBotLocale, type BotLocale } from './intent-matcher';
import { parseTemplate } from '../lib/template';
import { writeZip } from '../lib/zip';

export const DEFAULT_TEMPLATE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'template.yaml');
const LOCALE_NAMES: Record<string, string> = { en_US: 'English (US)', en_GB: 'English (GB)', es_US: 'Spanish (US)', fr_CA: 'French (Canada)' };
const ENUMS: Record<string, string> = { ORIGINAL_VALUE: 'OriginalValue', TOP_RESOLUTION: 'TopResolution', CONCATENATION: 'Concatenation' };

export interface BotSettings { name: string; description?: string; idleSessionTTLInSeconds: number; childDirected: boolean }

/** The bot's own settings from the template's AWS::Lex::Bot (the same resource CloudFormation deploys). */
export function botSettings(templateFile = DEFAULT_TEMPLATE_FILE): BotSettings {
  const t = parseTemplate(readFileSync(templateFile, 'utf8'), templateFile);
  const bot = [...t.resources.values()].find((r) => r.Type === 'AWS::Lex::Bot');
  if (!bot) throw new Error(`${templateFile}: no AWS::Lex::Bot resource`);
  const p = bot.Properties;
  return {
    name: String(p.Name), description: typeof p.Description === 'string' ? p.Description : undefined,
    idleSessionTTLInSeconds: Number(p.IdleSessionTTLInSeconds ?? 300),
    childDirected: Boolean((p.DataPrivacy as { ChildDirected?: boolean } | undefined)?.ChildDirected),
  };
}

/** PascalCase keys (CloudFormation) -> camelCase (import format), recursively; known enum values renamed. */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(x)]));
  }
  if (typeof v === 'string' && ENUMS[v]) return ENUMS[v];
  return v;
}

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');

/** The files of the import zip, path -> JSON. */
export function lexImportFiles(locale: BotLocale = loadBotLocale(), settings: BotSettings = botSettings()): Array<{ name: string; body: unknown }> {
  const root = settings.name;
  const base = `${root}/BotLocales/${locale.LocaleId}`;
  const files: Array<{ name: string; body: unknown }> = [
    { name: 'Manifest.json', body: { metadata: { schemaVersion: '1.0', fileFormat: 'LexJson', resourceType: 'Bot' } } },
    { name: `${root}/Bot.json`, body: {
      name: settings.name, version: 'DRAFT', description: settings.description ?? null,
      dataPrivacy: { childDirected: settings.childDirected }, idleSessionTTLInSeconds: settings.idleSessionTTLInSeconds,
    } },
  ];
  const raw = locale as Record<string, unknown>;
  files.push({ name: `${base}/BotLocale.json`, body: {
    name: LOCALE_NAMES[locale.LocaleId] ?? locale.LocaleId, identifier: locale.LocaleId, version: null,
    description: raw.Description ?? null, voiceSettings: camelKeys(raw.VoiceSettings ?? null), nluConfidenceThreshold: locale.NluConfidenceThreshold,
  } });
  for (const intent of locale.Intents) {
    const { Slots: slots, ...rest } = intent as Record<string, unknown> & { Slots: Array<Record<string, unknown>> };
    files.push({ name: `${base}/Intents/${intent.Name}/Intent.json`, body: { ...(camelKeys(rest) as object), identifier: intent.Name, version: null } });
    for (const slot of slots ?? []) {
      files.push({ name: `${base}/Intents/${intent.Name}/Slots/${String(slot.Name)}/Slot.json`, body: { ...(camelKeys(slot) as object), identifier: slot.Name } });
    }
  }
  for (const st of locale.SlotTypes) {
    files.push({ name: `${base}/SlotTypes/${st.Name}/SlotType.json`, body: { ...(camelKeys(st) as object), identifier: st.Name, version: null } });
  }
  return files;
}

export function lexImportZip(locale?: BotLocale, settings?: BotSettings): Buffer {
  return writeZip(lexImportFiles(locale, settings).map((f) => ({ name: f.name, data: json(f.body) })));
}
