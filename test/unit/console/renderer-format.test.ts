import { describe, it, expect } from 'vitest';
import { daysLeftText, urgencyOf } from '../../../renderer/src/format';
import { parseRoute, href } from '../../../renderer/src/router';

describe('renderer formatting and routes', () => {
  it('colours days left by urgency and says it in words', () => {
    expect(urgencyOf(-3, 'verifying')).toBe('overdue');
    expect(urgencyOf(0, 'in_review')).toBe('soon');
    expect(urgencyOf(7, 'verified')).toBe('soon');
    expect(urgencyOf(8, 'verified')).toBe('ok');
    expect(urgencyOf(-30, 'closed')).toBe('done');
    expect(daysLeftText(-3, 'verifying')).toBe('3 d overdue');
    expect(daysLeftText(0, 'verifying')).toBe('due today');
    expect(daysLeftText(12, 'verifying')).toBe('12 d left');
    expect(daysLeftText(5, 'denied')).toBe('Denied');
  });
  it('parses hash routes and refuses odd case ids', () => {
    expect(parseRoute('#/case/PD-20261123-ABC123')).toEqual({ screen: 'case', id: 'PD-20261123-ABC123' });
    expect(parseRoute('#/case/../../etc')).toEqual({ screen: 'queue' });
    expect(parseRoute('#/dashboard')).toEqual({ screen: 'dashboard' });
    expect(parseRoute('')).toEqual({ screen: 'queue' });
    expect(href({ screen: 'case', id: 'PD-1' })).toBe('#/case/PD-1');
  });
});

describe('failed step banner', () => {
  it('shows the last failed step until something completes or a retry is asked', async () => {
    const { failedStep } = await import('../../../renderer/src/screens/case/CaseActions');
    const e = (seq: number, action: string, detail: Record<string, unknown> = {}) => ({ seq, caseId: 'PD-1', at: '2026-11-23T00:00:00Z', actor: 'engine', action, detail, hash: '', prevHash: '' });
    expect(failedStep([e(1, 'step.started'), e(2, 'step.failed', { step: 'respond#1', error: 'SES throttled' })])?.detail.step).toBe('respond#1');
    expect(failedStep([e(1, 'step.failed'), e(2, 'case.retry')])).toBeNull();
    expect(failedStep([e(1, 'step.failed'), e(2, 'step.completed')])).toBeNull();
    expect(failedStep([])).toBeNull();
  });
});
