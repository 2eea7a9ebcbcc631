// The three real Connect flows in ../shared/fixtures/connect-flows-real (exported by people outside
// this project): the validator loads each without crashing and reports what it finds, and the
// CLI exits 1 (faults) rather than 2 (unreadable) on them.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadFlowFile } from '../../connect-flows/lib/flow-load';
import { loadTemplate } from '../../connect-flows/lib/template';
import { validateFlow } from '../../connect-flows/validator/validate-flow';
import { main } from '../../cli/main';

const DIR = join('..', 'shared', 'fixtures', 'connect-flows-real');
const FILES = ['c3-agent-assisted-payment-ivr-flow.json', 'c3-payment-ivr-flow-module.json', 'c3-receipt-flow.json'];

describe('real Connect flows', () => {
  it('loads all three and counts their actions by type', () => {
    const counts = FILES.map((f) => validateFlow(loadFlowFile(join(DIR, f)), null));
    expect(counts.map((r) => r.actions)).toEqual([89, 85, 14]);
    expect(counts[0]!.byType).toMatchObject({ InvokeLambdaFunction: 28, MessageParticipant: 26, GetParticipantInput: 7 });
    expect(counts[1]!.byType).toMatchObject({ TransferContactToQueue: 1, EndFlowModuleExecution: 2 });
  });

  it('finds the encrypted-DTMF blocks and the Lambdas they call', () => {
    const r = validateFlow(loadFlowFile(join(DIR, FILES[0]!)), null);
    expect(r.encryptedInputs).toEqual(['Get & Encrypt Card Number', 'Get & Encrypt Account Number']);
    expect(r.lambdas.length).toBeGreaterThanOrEqual(5);
    // Their certificates are deploy-time placeholders, and some stored inputs are not encrypted.
    expect(r.findings.filter((f) => f.code === 'encryption-key-invalid').map((f) => f.action)).toEqual(r.encryptedInputs);
    expect(r.findings.some((f) => f.code === 'stored-input-unencrypted' && f.action === 'Get Routing Number')).toBe(true);
    for (const f of r.findings) expect(f.action === null || typeof f.action === 'string').toBe(true);
  });

  it('the per-action Flow-language rules find no error in them (only the placeholder certificates); SSML in Text and PUBLISHED are warnings', () => {
    const reports = FILES.map((f) => validateFlow(loadFlowFile(join(DIR, f)), null));
    for (const r of reports) {
      expect([...new Set(r.findings.filter((x) => x.severity === 'error').map((x) => x.code))].filter((c) => c !== 'encryption-key-invalid')).toEqual([]);
    }
    expect(reports[0]!.findings.some((x) => x.code === 'metadata-status' && x.severity === 'warning')).toBe(true);
    expect(reports[1]!.findings.some((x) => x.code === 'metadata-status')).toBe(false);
    expect(reports[2]!.findings.every((x) => x.code === 'ssml-in-text')).toBe(true);
  });

  it('reports their Lambdas as not declared in our template', () => {
    const t = loadTemplate('connect-flows/template.yaml');
    for (const f of FILES) {
      const r = validateFlow(loadFlowFile(join(DIR, f)), t);
      const undeclared = r.findings.filter((x) => x.code === 'lambda-undeclared');
      expect(undeclared.length).toBeGreaterThan(0);
      for (const u of undeclared) expect(u.action).toBeTruthy();
    }
  });

  it('the CLI reports on all three (exit 1: faults found, not 2)', async () => {
    let out = '';
    const code = await main(['flows', 'validate', '--no-template', ...FILES.map((f) => join(DIR, f))], { stdout: (t) => { out += t; }, stderr: () => undefined, isTTY: false });
    expect(code).toBe(1);
    for (const f of FILES) expect(out).toContain(f);
    expect(out).toMatch(/c3-receipt-flow\.json: OK/u);
  });
});
