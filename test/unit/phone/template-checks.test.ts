import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED_RUNTIMES, checkTemplate, parseTemplateDocument } from '../../../connect-flows/lib/template-checks';
import { packageTemplate } from '../../../connect-flows/deploy/package-template';
import { LAMBDA_NODE_TARGET } from '../../../connect-flows/deploy/bundle-lambdas';

const SOURCE = readFileSync('connect-flows/template.yaml', 'utf8');
const PACKAGED = packageTemplate('connect-flows/template.yaml');

describe('template checks (the project\'s own, always run)', () => {
  it('source and packaged templates: runtimes allowed, every reference resolves, no wildcard outside the documented list', () => {
    expect(checkTemplate(SOURCE)).toEqual([]);
    expect(checkTemplate(PACKAGED)).toEqual([]);
  });

  it('every function runs on a runtime Lambda accepts today, and the bundle targets the same Node', () => {
    const doc = parseTemplateDocument(SOURCE);
    expect(ALLOWED_RUNTIMES).toContain(doc.Globals!.Function!.Runtime);
    expect(doc.Globals!.Function!.Runtime).not.toBe('nodejs20.x');
    expect(`nodejs${LAMBDA_NODE_TARGET.replace('node', '')}.x`).toBe(doc.Globals!.Function!.Runtime);
  });

  it('catches a retired runtime, a dangling !Ref / !GetAtt / ${X}, and wildcards', () => {
    const bad = SOURCE
      .replace('Runtime: nodejs22.x', 'Runtime: nodejs20.x')
      .replace('Role: !GetAtt CrmLookupRole.Arn', 'Role: !GetAtt MissingRole.Arn')
      .replace('InstanceId: !Ref ConnectInstanceArn, IntegrationType: LAMBDA_FUNCTION, IntegrationArn: !GetAtt IntakeFunction.Arn', 'InstanceId: !Ref NoSuchParameter, IntegrationType: LAMBDA_FUNCTION, IntegrationArn: !GetAtt IntakeFunction.Arn')
      .replace("'kms:ViaService': !Sub 'secretsmanager.${AWS::Region}.amazonaws.com'", "'kms:ViaService': !Sub 'secretsmanager.${NotThere}.amazonaws.com'")
      .replace('Statement: [{ Effect: Allow, Action: polly:SynthesizeSpeech, Resource: \'*\' }]', 'Statement: [{ Effect: Allow, Action: [polly:SynthesizeSpeech, s3:*], Resource: \'*\' }]');
    const codes = checkTemplate(bad).map((f) => `${f.code}@${f.where}`);
    expect(codes).toEqual(expect.arrayContaining([
      'runtime@Globals.Function', 'runtime@CrmLookupFunction', 'unresolved-ref@CrmLookupFunction', 'unresolved-ref@IntakeIntegration',
      'unresolved-ref@CrmLookupRole', 'wildcard-action@PrivacyBotRole', 'wildcard-resource@PrivacyBotRole',
    ]));
    const perFunction = SOURCE.replace("      FunctionName: privacy-desk-opt-out\n", "      FunctionName: privacy-desk-opt-out\n      Runtime: nodejs18.x\n");
    expect(checkTemplate(perFunction).map((f) => `${f.code}@${f.where}`)).toEqual(['runtime@OptOutFunction']);
  });

  // cfn-lint is not installed on every machine; where it is (CI images with Python), the packaged template must pass it.
  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  it.skipIf(cfnLint.error !== undefined || cfnLint.status !== 0)('passes cfn-lint when cfn-lint is installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-cfn-'));
    const file = join(dir, 'template.packaged.yaml');
    writeFileSync(file, PACKAGED);
    expect(() => execFileSync('cfn-lint', [file], { encoding: 'utf8' })).not.toThrow();
  });
});
