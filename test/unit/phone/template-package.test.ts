import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { packageTemplate } from '../../../connect-flows/deploy/package-template';
import { parseTemplate } from '../../../connect-flows/lib/template';
import { loadBotLocale } from '../../../connect-flows/lex/intent-matcher';
import { AGENT_PURPOSE, IDENTITIES_PURPOSE } from '../../../shared/store/case-repo';
import { NOTE_PURPOSE } from '../../../shared/store/sealed-notes';

const source = parseTemplate(readFileSync('connect-flows/template.yaml', 'utf8'));
const packaged = parseTemplate(packageTemplate('connect-flows/template.yaml'), 'packaged');

describe('deployment template', () => {
  it('declares the three functions the flows call, the inbound-SMS function and the bot alias', () => {
    expect([...source.functions]).toEqual([
      ['CrmLookupFunction', 'privacy-desk-crm-lookup'], ['IntakeFunction', 'privacy-desk-intake'], ['OptOutFunction', 'privacy-desk-opt-out'],
      ['SmsInboundFunction', 'privacy-desk-sms-inbound'],
    ]);
    expect([...source.lexAliases]).toEqual(['PrivacyBotAlias']);
  });

  it('sms-inbound: subscribed to the two-way SMS topic, least privilege (no PII key, no CRM, the narrow database user)', () => {
    const fn = source.resources.get('SmsInboundFunction')!.Properties as { Events: Record<string, { Type: string; Properties: { Topic: unknown } }>; Environment: { Variables: Record<string, unknown> } };
    expect(Object.values(fn.Events)).toEqual([{ Type: 'SNS', Properties: { Topic: { Ref: 'SmsInboundTopicArn' } } }]);
    expect(fn.Environment.Variables).toMatchObject({ PRIVACY_DESK_DATABASE_URL_SECRET_ID: { Ref: 'CaseDatabaseOptOutUrlSecretArn' }, PRIVACY_DESK_SMS_TOPIC_ARN: { Ref: 'SmsInboundTopicArn' } });
    const role = JSON.stringify(source.resources.get('SmsInboundRole')!.Properties.Policies);
    expect(role).not.toContain('PiiKmsKeyArn');
    expect(role).not.toContain('CrmDatabaseUrlSecretArn');
    expect(role).not.toContain('"CaseDatabaseUrlSecretArn"');
    // crm-lookup reads the case store with the read-only user only.
    const crm = source.resources.get('CrmLookupFunction')!.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(crm.Environment.Variables).toEqual({ PRIVACY_DESK_DATABASE_URL_SECRET_ID: { Ref: 'CaseDatabaseReadOnlyUrlSecretArn' }, PRIVACY_DESK_DATABASE_READ_ONLY: 'true' });
    expect(JSON.stringify(source.resources.get('CrmLookupRole')!.Properties.Policies)).not.toContain('"CaseDatabaseUrlSecretArn"');
  });

  it('packages each flow as Fn::Sub of its JSON and the bot locale from its file', () => {
    for (const [id, file] of [['InboundPrivacyLineFlow', 'inbound-privacy-line'], ['OutboundNotificationFlow', 'outbound-notification']] as const) {
      const content = packaged.resources.get(id)!.Properties.Content as { 'Fn::Sub': string };
      expect(JSON.parse(content['Fn::Sub'])).toEqual(JSON.parse(readFileSync(`connect-flows/flows/${file}.json`, 'utf8')));
    }
    expect(packaged.resources.get('PrivacyBot')!.Properties.BotLocales).toEqual([loadBotLocale()]);
  });

  it('gives each function its own role, and only intake may read the Connect private keys', () => {
    const secretsOf = (role: string) => JSON.stringify(source.resources.get(role)!.Properties.Policies);
    expect(secretsOf('IntakeRole')).toContain('ConnectInputKeysSecretArn');
    expect(secretsOf('CrmLookupRole')).not.toContain('ConnectInputKeysSecretArn');
    expect(secretsOf('OptOutRole')).not.toContain('ConnectInputKeysSecretArn');
    for (const role of ['IntakeRole', 'CrmLookupRole', 'OptOutRole']) {
      expect(secretsOf(role)).not.toMatch(/"Resource":"\*"/u);
      expect(secretsOf(role)).toContain('kms:ViaService');
    }
    // crm-lookup never decrypts PII: no grant on the PII key at all. The others only under the case store's encryption context.
    expect(secretsOf('CrmLookupRole')).not.toContain('PiiKmsKeyArn');
    for (const role of ['IntakeRole', 'OptOutRole']) {
      const statements = (source.resources.get(role)!.Properties.Policies as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>)
        .flatMap((p) => p.PolicyDocument.Statement).filter((st) => JSON.stringify(st.Resource).includes('PiiKmsKeyArn'));
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': [IDENTITIES_PURPOSE, AGENT_PURPOSE, NOTE_PURPOSE] } });
    }
    for (const fn of ['CrmLookup', 'Intake', 'OptOut']) {
      expect(source.resources.get(`${fn}InvokePermission`)!.Properties).toMatchObject({ Principal: 'connect.amazonaws.com', SourceArn: { Ref: 'ConnectInstanceArn' } });
    }
  });
});
