// The work on the data, in order: discovery per system and collection, review of shared/exempt rows,
// the plan (dry run) with approve and the executed changes, the verify (re-query) result, messages.
import type { CaseView } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { Section } from '../../components/ui';
import { formatDate } from '../../format';
import { DiscoveryPanel } from './DiscoveryPanel';
import { ReviewPanel } from './ReviewPanel';
import { PlanPanel, type StepResult } from './PlanPanel';
import { MessagesPanel } from './MessagesPanel';
import { TYPE_WORDS } from './words';

/** The last completed run of an effect step, from the audit trail (every step result is there). */
export function lastStep(audit: AuditEntryView[], step: string): StepResult | null {
  for (let i = audit.length - 1; i >= 0; i -= 1) {
    const a = audit[i]!;
    if (a.action === 'step.completed' && typeof a.detail.step === 'string' && a.detail.step.startsWith(`${step}#`)) {
      return { at: a.at, result: (a.detail.result ?? {}) as Record<string, unknown> };
    }
  }
  return null;
}

export function WorkCard({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const refreshKey = audit.length;
  const check = lastStep(audit, 'checkResult');
  return (
    <>
      <DiscoveryPanel c={c} refreshKey={refreshKey} />
      <ReviewPanel c={c} refreshKey={refreshKey} onChanged={onChanged} />
      <PlanPanel c={c} refreshKey={refreshKey} executed={lastStep(audit, 'execute')} onChanged={onChanged} />
      <Section title="Verify result" id="verify-result">
        {check ? (
          <p className={check.result.ok ? 'ok-text' : 'bad-text'} data-testid="verify-result">
            {check.result.ok ? `${TYPE_WORDS[c.type].verifyDone} (re-queried ${formatDate(check.at)})` : `${String(check.result.remaining)} row(s) not as planned after the change`}
          </p>
        ) : <p className="muted">{TYPE_WORDS[c.type].verifyPending}</p>}
      </Section>
      <MessagesPanel c={c} audit={audit} onChanged={onChanged} />
    </>
  );
}
