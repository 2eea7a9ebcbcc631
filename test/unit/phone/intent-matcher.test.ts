import { describe, it, expect } from 'vitest';
import { LocalIntentMatcher, loadBotLocale } from '../../../connect-flows/lex/intent-matcher';
import { toRecognition } from '../../../shared/channels/lex-client';

describe('local intent matcher (stand-in for the Lex bot)', () => {
  const m = new LocalIntentMatcher();
  const intent = async (t: string) => (await m.recognize('s', t)).intent;

  it('maps keypad digits and phrases to the bot\'s intents', async () => {
    expect(await intent('1')).toBe('OptOut');
    expect(await intent('2')).toBe('DeleteMyData');
    expect(await intent('3')).toBe('AccessMyData');
    expect(await intent('4')).toBe('RequestStatus');
    expect(await intent('0')).toBe('SpeakToAgent');
    expect(await intent('Please, do not sell my information!')).toBe('OptOut');
    expect(await intent('I want you to delete my data')).toBe('DeleteMyData');
    expect(await intent('send me a copy of my data')).toBe('AccessMyData');
  });

  it('falls back below the confidence threshold', async () => {
    const r = await m.recognize('s', 'what is the weather like');
    expect(r.intent).toBe('FallbackIntent');
    expect(r.confidence).toBeNull();
    expect(r.state).toBe('Failed');
  });

  it('fills the case reference slot with the slot type\'s pattern', async () => {
    const r = await m.recognize('s', 'status of request pd-20261123-ab3k9z');
    expect(r).toMatchObject({ intent: 'RequestStatus', slots: { CaseReference: 'PD-20261123-AB3K9Z' }, confidence: 1 });
  });

  it('reads the same bot definition that is deployed', () => {
    const bot = loadBotLocale();
    expect(bot.Intents.map((i) => i.Name)).toEqual(['OptOut', 'DeleteMyData', 'AccessMyData', 'RequestStatus', 'SpeakToAgent', 'FallbackIntent']);
  });

  it('toRecognition flattens a Lex answer with no intent', () => {
    expect(toRecognition({ interpretations: [], messages: [] })).toEqual({ intent: null, confidence: null, state: null, slots: {}, messages: [], sessionAttributes: {} });
  });
});
