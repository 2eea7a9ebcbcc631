// The Lex V2 import zip (StartImport / the Lex console's Import) generated from the same bot
// definition CloudFormation deploys: the zip is read back with an independent reader and checked
// against the import/export format (Manifest.json, Bot.json, BotLocales/<locale>/BotLocale.json,
// Intents/<name>/Intent.json, Slots/<name>/Slot.json, SlotTypes/<name>/SlotType.json, camelCase).
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { crc32 } from '../../../connect-flows/lib/zip';
import { lexImportZip } from '../../../connect-flows/lex/lex-import';
import { loadBotLocale } from '../../../connect-flows/lex/intent-matcher';
import { packageTemplate } from '../../../connect-flows/deploy/package-template';
import { parseTemplate } from '../../../connect-flows/lib/template';
import { main } from '../../../cli/main';

/** Reads a zip through its central directory (independent of the writer). */
function readZip(b: Buffer): Map<string, Buffer> {
  const end = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = b.readUInt16LE(end + 10);
  let o = b.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    expect(b.readUInt32LE(o)).toBe(0x02014b50);
    const method = b.readUInt16LE(o + 10);
    const crc = b.readUInt32LE(o + 16);
    const size = b.readUInt32LE(o + 20);
    const nameLen = b.readUInt16LE(o + 28);
    const extra = b.readUInt16LE(o + 30);
    const comment = b.readUInt16LE(o + 32);
    const local = b.readUInt32LE(o + 42);
    const name = b.subarray(o + 46, o + 46 + nameLen).toString('utf8');
    const lNameLen = b.readUInt16LE(local + 26);
    const lExtra = b.readUInt16LE(local + 28);
    const body = b.subarray(local + 30 + lNameLen + lExtra, local + 30 + lNameLen + lExtra + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    o += 46 + nameLen + extra + comment;
  }
  return out;
}

const files = readZip(lexImportZip());
const read = (name: string): Record<string, any> => JSON.parse(files.get(name)!.toString('utf8')) as Record<string, any>;
const BOT = 'PrivacyDeskPrivacyLine';
const LOC = `${BOT}/BotLocales/en_US`;

function keysOf(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => keysOf(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...keysOf(x, `${path}.${k}`)]);
  return [];
}

describe('Lex V2 import zip', () => {
  it('has the manifest, the bot, the locale, one Intent.json per intent, the slot and the slot type, and nothing else', () => {
    const locale = loadBotLocale();
    const expected = [
      'Manifest.json', `${BOT}/Bot.json`, `${LOC}/BotLocale.json`,
      ...locale.Intents.map((i) => `${LOC}/Intents/${i.Name}/Intent.json`),
      `${LOC}/Intents/RequestStatus/Slots/CaseReference/Slot.json`,
      `${LOC}/SlotTypes/CaseReferenceType/SlotType.json`,
    ];
    expect([...files.keys()].sort()).toEqual(expected.sort());
    expect(read('Manifest.json')).toEqual({ metadata: { schemaVersion: '1.0', fileFormat: 'LexJson', resourceType: 'Bot' } });
    expect(read(`${BOT}/Bot.json`)).toMatchObject({ name: BOT, version: 'DRAFT', dataPrivacy: { childDirected: false }, idleSessionTTLInSeconds: 300 });
    expect(read(`${LOC}/BotLocale.json`)).toMatchObject({ identifier: 'en_US', name: 'English (US)', nluConfidenceThreshold: 0.4, voiceSettings: { voiceId: 'Joanna' } });
  });

  it('writes every key in camelCase and enum values as the import format spells them', () => {
    for (const [name, data] of files) {
      const bad = keysOf(JSON.parse(data.toString('utf8'))).filter((k) => !/^[a-z][A-Za-z0-9]*$/u.test(k.split('.').at(-1)!));
      expect(bad, name).toEqual([]);
    }
    expect(read(`${LOC}/SlotTypes/CaseReferenceType/SlotType.json`)).toMatchObject({
      name: 'CaseReferenceType', parentSlotTypeSignature: 'AMAZON.AlphaNumeric',
      valueSelectionSetting: { resolutionStrategy: 'OriginalValue', regexFilter: { pattern: expect.any(String) } },
    });
    expect(read(`${LOC}/Intents/FallbackIntent/Intent.json`)).toMatchObject({ name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' });
  });

  it('is the same bot CloudFormation deploys (one definition): intents, utterances, slots', () => {
    const packaged = parseTemplate(packageTemplate('connect-flows/template.yaml'), 'packaged');
    const [cfn] = packaged.resources.get('PrivacyBot')!.Properties.BotLocales as Array<{ Intents: Array<{ Name: string; SampleUtterances?: Array<{ Utterance: string }> }> }>;
    for (const i of cfn!.Intents) {
      const intent = read(`${LOC}/Intents/${i.Name}/Intent.json`);
      expect(intent.name).toBe(i.Name);
      expect((intent.sampleUtterances ?? []).map((u: { utterance: string }) => u.utterance)).toEqual((i.SampleUtterances ?? []).map((u) => u.Utterance));
    }
  });

  it('CaseReference: the status intent collects it (slot, slot type, utterances), and the flow passes it on to the look-up', () => {
    const intent = read(`${LOC}/Intents/RequestStatus/Intent.json`);
    expect(intent.slotPriorities).toEqual([{ priority: 1, slotName: 'CaseReference' }]);
    expect(intent.sampleUtterances.some((u: { utterance: string }) => u.utterance.includes('{CaseReference}'))).toBe(true);
    expect(read(`${LOC}/Intents/RequestStatus/Slots/CaseReference/Slot.json`)).toMatchObject({
      name: 'CaseReference', slotTypeName: 'CaseReferenceType', valueElicitationSetting: { slotConstraint: 'Optional' },
    });
    const flow = JSON.parse(readFileSync('connect-flows/flows/inbound-privacy-line.json', 'utf8')) as { Actions: Array<{ Identifier: string; Parameters: Record<string, any> }> };
    const lookup = flow.Actions.find((a) => a.Identifier === 'Look up status')!;
    expect(lookup.Parameters.LambdaInvocationAttributes).toEqual({ lookup: 'cases', caseReference: '$.Lex.Slots.CaseReference' });
  });

  it('privacy-desk flows export-lex --out FILE.zip writes the same zip', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pd-lex-')), 'bot.zip');
    let text = '';
    const code = await main(['flows', 'export-lex', '--out', out], { stdout: (t) => { text += t; }, stderr: () => undefined, isTTY: false });
    expect(code).toBe(0);
    expect(text).toMatch(/Lex V2 import zip of bot PrivacyDeskPrivacyLine \(11 files/u);
    expect(readFileSync(out).equals(lexImportZip())).toBe(true);
    expect(await main(['flows', 'export-lex', '--out', 'bot.json'], { stdout: () => undefined, stderr: () => undefined, isTTY: false })).toBe(2);
  });
});
