// A local stand-in for the Lex bot in the simulator: it reads the same bot definition that is
// deployed (privacy-line-bot.json) and picks the intent whose sample utterances best match the
// caller's text. Exact match (after normalising) scores 1; otherwise token overlap (Dice). Below
// the bot's confidence threshold the answer is FallbackIntent, as Lex does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { IntentRecognizer, Recognition } from '../../shared/channels/lex-client';

const IntentSchema = z.object({
  Name: z.string().min(1),
  ParentIntentSignature: z.string().optional(),
  SampleUtterances: z.array(z.object({ Utterance: z.string().min(1) })).default([]),
  Slots: z.array(z.object({ Name: z.string().min(1), SlotTypeName: z.string().min(1) }).passthrough()).default([]),
}).passthrough();
export const BotLocaleSchema = z.object({
  LocaleId: z.string(),
  NluConfidenceThreshold: z.number().min(0).max(1),
  Intents: z.array(IntentSchema).min(1),
  SlotTypes: z.array(z.object({
    Name: z.string(),
    ValueSelectionSetting: z.object({ RegexFilter: z.object({ Pattern: z.string() }).optional() }).passthrough().optional(),
  }).passthrough()).default([]),
}).passthrough();
export type BotLocale = z.infer<typeof BotLocaleSchema>;

export const DEFAULT_BOT_FILE = join(dirname(fileURLToPath(import.meta.url)), 'privacy-line-bot.json');

export function loadBotLocale(file = DEFAULT_BOT_FILE): BotLocale {
  return BotLocaleSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9{}\s-]/gu, ' ').replace(/\s+/gu, ' ').trim();
}
function tokens(s: string): string[] {
  return normalise(s).split(' ').filter((t) => t && !t.startsWith('{'));
}

interface Pattern { intent: string; text: string; tokens: Set<string>; slotRe: RegExp | null; slotNames: string[] }

export class LocalIntentMatcher implements IntentRecognizer {
  private readonly patterns: Pattern[] = [];
  private readonly threshold: number;
  private readonly fallback: string;

  constructor(bot: BotLocale = loadBotLocale()) {
    this.threshold = bot.NluConfidenceThreshold;
    this.fallback = bot.Intents.find((i) => i.ParentIntentSignature === 'AMAZON.FallbackIntent')?.Name ?? 'FallbackIntent';
    const slotPattern = new Map<string, string>();
    for (const i of bot.Intents) for (const s of i.Slots) {
      const type = bot.SlotTypes.find((t) => t.Name === s.SlotTypeName);
      slotPattern.set(`${i.Name}.${s.Name}`, type?.ValueSelectionSetting?.RegexFilter?.Pattern ?? '[\\w-]+');
    }
    for (const i of bot.Intents) {
      for (const u of i.SampleUtterances) {
        const text = normalise(u.Utterance);
        const slotNames: string[] = [];
        let slotRe: RegExp | null = null;
        if (/\{\w+\}/u.test(u.Utterance)) {
          const src = u.Utterance.trim().split(/(\{\w+\})/u).map((part) => {
            const m = /^\{(\w+)\}$/u.exec(part);
            if (!m) return normalise(part).split(' ').filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('\\s+');
            slotNames.push(m[1]!);
            return `(${slotPattern.get(`${i.Name}.${m[1]}`) ?? '[\\w-]+'})`;
          }).filter(Boolean).join('\\s*');
          slotRe = new RegExp(`^${src}$`, 'iu');
        }
        this.patterns.push({ intent: i.Name, text, tokens: new Set(tokens(u.Utterance)), slotRe, slotNames });
      }
    }
  }

  async recognize(_sessionId: string, text: string, sessionAttributes: Record<string, string> = {}): Promise<Recognition> {
    const said = normalise(text);
    const saidTokens = new Set(tokens(text));
    let best: { p: Pattern; score: number; slots: Record<string, string> } | null = null;
    for (const p of this.patterns) {
      let score = 0;
      const slots: Record<string, string> = {};
      if (p.slotRe) {
        const m = p.slotRe.exec(text.trim().replace(/[?.!,]+$/u, ''));
        if (m) { score = 1; p.slotNames.forEach((n, i) => { slots[n] = m[i + 1]!.toUpperCase(); }); }
      }
      if (!score && p.text === said) score = 1;
      if (!score && p.tokens.size && saidTokens.size) {
        let common = 0;
        for (const t of saidTokens) if (p.tokens.has(t)) common += 1;
        score = (2 * common) / (p.tokens.size + saidTokens.size);
      }
      if (!best || score > best.score) best = { p, score, slots };
    }
    const matched = best && best.score >= this.threshold ? best : null;
    return {
      intent: matched ? matched.p.intent : this.fallback,
      confidence: matched ? Math.round(matched.score * 100) / 100 : null,
      state: matched ? 'ReadyForFulfillment' : 'Failed',
      slots: matched ? matched.slots : {},
      messages: [],
      sessionAttributes: { ...sessionAttributes },
    };
  }
}
