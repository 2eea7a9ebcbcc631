import { describe, expect, it } from 'vitest';
import { formsOfNumber, parsePhone, phoneLookupForms } from '../../../shared/domain/phone-forms';

describe('phone look-up forms (shared/domain/phone-forms.ts)', () => {
  it('covers the ways a US number is commonly stored, from any way it is given', () => {
    const stored = ['+14155550102', '(415) 555-0102', '415-555-0102', '415.555.0102', '415 555 0102', '4155550102', '14155550102',
      '+1 415 555 0102', '+1 415-555-0102', '+1-415-555-0102', '1-415-555-0102', '+1 (415) 555-0102', '(415)555-0102', 'tel:+14155550102'];
    for (const given of ['415.555.0102', '(415) 555-0102', '+1 415 555 0102', '14155550102', '4155550102']) {
      const forms = phoneLookupForms(given);
      for (const s of stored) expect(forms, `${given} -> ${s}`).toContain(s);
      expect(forms[0]).toBe(given); // as given first
    }
  });

  it('every form, read in the number\'s own country, names the same number (callers re-check each match by it)', () => {
    for (const given of ['415.555.0102', '+44 20 7946 0958', '+49 30 901820']) {
      const p = parsePhone(given)!;
      for (const f of phoneLookupForms(given)) expect(parsePhone(f.replace(/^tel:/u, ''), p.country)?.number, f).toBe(p.number);
    }
  });

  it('reads national digits in the default country before international digits', () => {
    expect(parsePhone('4155550102')?.number).toBe('+14155550102'); // not +41 (Switzerland)
    expect(parsePhone('442079460958')?.number).toBe('+442079460958');
    expect(parsePhone('020 7946 0958', 'GB')?.number).toBe('+442079460958');
  });

  it('a value that names no valid number is looked up as given only; empty gives nothing', () => {
    expect(phoneLookupForms(' abc ')).toEqual(['abc']);
    expect(phoneLookupForms('')).toEqual([]);
    expect(phoneLookupForms(null)).toEqual([]);
  });

  it('UK national and international groups', () => {
    const f = formsOfNumber(parsePhone('+44 20 7946 0958')!);
    for (const s of ['+442079460958', '+44 20 7946 0958', '020 7946 0958', '02079460958', '020-7946-0958', '44 20 7946 0958']) expect(f).toContain(s);
  });
});
