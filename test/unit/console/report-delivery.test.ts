// The console's view of an access report waiting for staff delivery: the case view says it waits for
// staff delivery (from the machine's state, not from an error's words) and is not a failure to
// retry, the messages panel finds the pending report, and the dashboard's attention list puts it first.
import { describe, it, expect } from 'vitest';
import { waitingFor } from '../../../shared/app/case-view';
import { StepWaits, type CaseContext } from '../../../shared/domain/case-machine';
import { pendingReport } from '../../../renderer/src/screens/case/ReportDelivery';
import { attentionItems } from '../../../renderer/src/screens/NeedsStaffSection';
import type { MessageView } from '../../../shared/app/contract/responses';

const entry = (seq: number, action: string, detail: Record<string, unknown> = {}) => ({ seq, caseId: 'PD-1', at: `2026-11-23T00:00:0${seq}Z`, actor: 'engine', action, detail, hash: '', prevHash: '' });
const message = (over: Partial<MessageView>): MessageView => ({
  id: 'm1', caseId: 'PD-1', template: 'access-report', channel: 'post', provider: 'staff', recipient: '(address to be arranged)', locale: 'en',
  status: 'pending', providerMessageId: null, attempts: 0, error: 'no email address on the case', delivery: null,
  createdAt: '2026-11-23T00:00:00Z', sentAt: null, ...over,
});

describe('report waiting for staff delivery in the console', () => {
  it('tells a report awaiting staff delivery from a send to retry', () => {
    const ctx = (lastError: CaseContext['lastError'], hold: CaseContext['hold'] = null, level: 'reasonable' | 'high' = 'reasonable') =>
      ({ lastError, hold, requiredLevel: level, verification: { level: 'reasonable' } }) as CaseContext;
    expect(waitingFor('responding', ctx({ step: 'respond', message: 'awaiting staff delivery: …', waits: 'staff_delivery' }))).toBe('staff_delivery');
    expect(waitingFor('responding', ctx({ step: 'respond', message: 'SES throttled' }))).toBe('staff_retry');
    expect(waitingFor('responding', ctx(null))).toBeNull();
    expect(waitingFor('in_review', ctx(null))).toBe('staff_review');
    // Discovery raised a deletion's level (sensitive data): it waits for the higher verification, not review.
    expect(waitingFor('in_review', ctx(null, null, 'high'))).toBe('staff_verification');
    expect(waitingFor('verifying', ctx(null))).toBe('staff_verification');
    expect(waitingFor('on_hold', ctx(null, { reason: 'awaiting_consumer', note: null, since: '2026-11-23T00:00:00Z', resumeTo: 'verifying' }))).toBe('consumer');
    expect(waitingFor('on_hold', ctx(null, { reason: 'legal_hold', note: null, since: '2026-11-23T00:00:00Z', resumeTo: 'verifying' }))).toBe('hold');
    expect(new StepWaits('staff_delivery', 'x').waits).toBe('staff_delivery');
  });

  it('finds the pending access report among the case\'s messages', () => {
    expect(pendingReport([message({ template: 'acknowledgement', status: 'skipped' }), message({ id: 'm2' })])?.id).toBe('m2');
    expect(pendingReport([message({ status: 'sent', delivery: 'post' })])).toBeNull();
    expect(pendingReport(undefined)).toBeNull();
  });

  it('lists reports to deliver first on the dashboard, then failed sends, locks and processor notices', () => {
    const items = attentionItems({
      messages: [
        message({ id: 'f', caseId: 'PD-2', template: 'deletion-result', channel: 'email', status: 'failed', error: 'SES throttled', createdAt: '2026-11-01T00:00:00Z' }),
        message({ id: 'p', caseId: 'PD-3' }),
      ],
      lockedCases: [{ caseId: 'PD-4', lockedAt: '2026-11-02T00:00:00Z', failures: 3 }],
      unconfirmedNotices: [{
        id: 'n', caseId: 'PD-5', processorId: 'x', processorName: 'Parcel Co', system: 'shop', channel: 'email', status: 'sent',
        sentAt: '2026-10-01T00:00:00Z', confirmedAt: null, confirmedBy: null, reminders: 0, lastRemindedAt: null, lastError: null,
      }],
    });
    expect(items.map((i) => [i.kind, i.caseId])).toEqual([['delivery', 'PD-3'], ['failed', 'PD-2'], ['locked', 'PD-4'], ['processor', 'PD-5']]);
    expect(items[0]!.what).toMatch(/waiting for staff delivery/u);
    expect(items[1]!.what).toBe('deletion-result by email failed: SES throttled');
  });
});
