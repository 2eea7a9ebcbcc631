// Amazon Lex V2 runtime: what the caller wants, from what they said or keyed. A thin wrapper over
// RecognizeText that returns one flat Recognition. The caller's words are never logged here.
// The simulator uses a local intent matcher with the same interface (connect-flows/lex/).
import { LexRuntimeV2Client, RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { z } from 'zod';

export interface Recognition {
  /** Intent name, or null when Lex returned none. */
  intent: string | null;
  /** NLU confidence of the top interpretation (0..1), null when Lex gave none. */
  confidence: number | null;
  /** InProgress | ReadyForFulfillment | Fulfilled | Failed | ... as Lex reports it. */
  state: string | null;
  /** Interpreted slot values (flat). */
  slots: Record<string, string>;
  /** Bot prompts to play, in order. */
  messages: string[];
  sessionAttributes: Record<string, string>;
}

/** Anything that turns a caller's text into an intent: Lex itself, or the local matcher. */
export interface IntentRecognizer {
  recognize(sessionId: string, text: string, sessionAttributes?: Record<string, string>): Promise<Recognition>;
}

export const LexBotRefSchema = z.object({
  botId: z.string().regex(/^[0-9A-Z]{10}$/u, 'botId must be the 10-character Lex V2 bot id'),
  botAliasId: z.string().regex(/^(\bTSTALIASID\b|[0-9A-Z]{10})$/u, 'botAliasId must be a 10-character alias id (or TSTALIASID)'),
  localeId: z.string().regex(/^[a-z]{2}_[A-Z]{2}$/u, 'localeId looks like en_US').default('en_US'),
}).strict();
export type LexBotRef = z.input<typeof LexBotRefSchema>;

export class LexError extends Error {
  constructor(message: string, readonly retryable: boolean) { super(message); this.name = 'LexError'; }
}

export class LexRecognizer implements IntentRecognizer {
  private readonly ref: z.output<typeof LexBotRefSchema>;

  constructor(ref: LexBotRef, private readonly client: LexRuntimeV2Client = new LexRuntimeV2Client({})) {
    this.ref = LexBotRefSchema.parse(ref);
  }

  async recognize(sessionId: string, text: string, sessionAttributes?: Record<string, string>): Promise<Recognition> {
    if (!/^[0-9a-zA-Z._:-]{2,100}$/u.test(sessionId)) throw new LexError('sessionId must be 2-100 characters of letters, digits, . _ : -', false);
    if (!text.trim() || text.length > 1024) throw new LexError('text must be 1-1024 characters', false);
    let out: RecognizeTextCommandOutput;
    try {
      out = await this.client.send(new RecognizeTextCommand({
        botId: this.ref.botId, botAliasId: this.ref.botAliasId, localeId: this.ref.localeId, sessionId, text,
        ...(sessionAttributes ? { sessionState: { sessionAttributes } } : {}),
      }));
    } catch (e) {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
      const status = err.$metadata?.httpStatusCode;
      throw new LexError(`Lex RecognizeText failed: ${err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}`, Boolean(err.$retryable) || (status ?? 0) >= 500);
    }
    return toRecognition(out);
  }
}

export function toRecognition(out: Pick<RecognizeTextCommandOutput, 'interpretations' | 'sessionState' | 'messages'>): Recognition {
  const top = out.interpretations?.[0];
  const intent = out.sessionState?.intent ?? top?.intent;
  const slots: Record<string, string> = {};
  for (const [name, slot] of Object.entries(intent?.slots ?? {})) {
    const v = slot?.value?.interpretedValue ?? slot?.value?.originalValue;
    if (typeof v === 'string') slots[name] = v;
  }
  return {
    intent: intent?.name ?? null,
    confidence: top?.nluConfidence?.score ?? null,
    state: intent?.state ?? null,
    slots,
    messages: (out.messages ?? []).map((m) => m.content ?? '').filter(Boolean),
    sessionAttributes: { ...(out.sessionState?.sessionAttributes ?? {}) },
  };
}
