// The Responses area's services, built once per app and kept in ctx.services.responses:
// the mailer (SES v2 or outbox), text messages (End User Messaging SMS or the SMS outbox file),
// verification codes (email, SMS, voice), outbound calls (Connect or recorded),
// processor notices and report download links. Settings come from PRIVACY_DESK_* variables.
import type { AppContext } from '../context';
import { createEmailSender, emailSettingsFromEnv, type EmailSettings } from '../../channels/email/config';
import { Mailer } from '../../channels/email/mailer';
import type { EmailSender } from '../../channels/email/message';
import type { RetryOptions } from '../../channels/email/retry';
import { asLocale, type Locale } from '../../channels/email/labels';
import { VerificationCodes, type CodePolicy } from '../../channels/codes';
import { OutboundCalls } from '../../channels/voice/calls';
import { createVoiceCaller } from '../../channels/voice/config';
import type { VoiceCaller } from '../../channels/voice/caller';
import { createSmsSender } from '../../channels/sms/config';
import type { SmsSender } from '../../channels/sms/sender';
import { TextMessages } from '../../channels/sms/texts';
import { ProcessorNotices } from '../../channels/processors';
import { ReportLinks } from '../../channels/report-links';
import { DisclosuresRepo } from '../../channels/repos/disclosures-repo';
import type { DiscoveryResult } from '../../domain/discovery';
import type { SystemDisclosure } from '../../domain/report/access-report';
import type { DatamapRepo } from '../../store/datamap-repo';


/** What Responses needs from the data-map layer (ctx.services.datamap). */
export interface DatamapForResponses {
  discoveryResult(caseId: string): Promise<DiscoveryResult | null | undefined>;
  /** Sources, purposes and third parties per system, for the access report (optional). */
  systemDisclosures?(): Promise<SystemDisclosure[]>;
  /**
   * What execution applied per collection, the independent check of the case and the registered
   * systems (display names, opt-out and limit controls): DatamapService.repo. The deletion, opt-out,
   * correction and limit results are built from these only; without them no result claiming a change goes out.
   */
  repo?: Pick<DatamapRepo, 'changes' | 'check' | 'systems'>;
}

export interface ResponsesOptions {
  env?: NodeJS.ProcessEnv;
  sender?: EmailSender;
  caller?: VoiceCaller;
  sms?: SmsSender;
  retry?: Partial<RetryOptions>;
  codePolicy?: Partial<CodePolicy>;
  fetch?: typeof fetch;
  /** Data points an accepted email code counts for (control of the address on file + the code). */
  codeDataPoints?: number;
  /** Days a report download link stays valid. */
  linkDays?: number;
}

export interface ResponsesService {
  settings: EmailSettings;
  locale: Locale;
  linkDays: number;
  mailer: Mailer;
  codes: VerificationCodes;
  calls: OutboundCalls;
  texts: TextMessages;
  processors: ProcessorNotices;
  links: ReportLinks;
  /** Sources, purposes and third parties per system, kept by Responses (the data map's win when it has them). */
  disclosures: DisclosuresRepo;
  datamap(): DatamapForResponses | undefined;
  close(): Promise<void>;
}

export function responsesService(ctx: AppContext, options: ResponsesOptions = {}): ResponsesService {
  const existing = ctx.services.responses;
  if (existing) return existing;
  const env = options.env ?? process.env;
  const settings = emailSettingsFromEnv(env);
  const sender = options.sender ?? createEmailSender(settings, ctx.config.dataDir, ctx.clock);
  const caller = options.caller ?? createVoiceCaller(ctx.config.dataDir, env, ctx.clock);
  const sms = options.sms ?? createSmsSender(ctx.config.dataDir, env, ctx.clock);
  const base = { db: ctx.db, audit: ctx.audit, crypto: ctx.crypto, clock: ctx.clock };
  const mailer = new Mailer({ ...base, sender, from: settings.from, businessName: settings.businessName, retry: options.retry });
  const dataPoints = options.codeDataPoints ?? 2;
  const calls = new OutboundCalls({ ...base, caller, retry: options.retry });
  const texts = new TextMessages({ ...base, sender: sms, retry: options.retry });
  const codes = new VerificationCodes({
    ...base, mailer, texts, calls, businessName: settings.businessName, policy: options.codePolicy, staffEmail: settings.staffEmail,
    onVerified: async (caseId, actor, method, channel) => {
      const engine = ctx.services.engine;
      if (!engine) throw new Error('the case engine is not running: cannot record the verification');
      // Control of the address or number on file plus the code.
      const note = channel === 'email' ? 'email one-time code accepted' : `phone one-time code accepted (${channel === 'sms' ? 'text message' : 'voice call'})`;
      await engine.send(caseId, { type: 'VERIFY', at: ctx.clock().toISOString(), by: actor, method, dataPoints, signedDeclaration: false, note },
        { actor }, { action: 'case.verify', detail: { method, dataPoints, signedDeclaration: false, note } });
    },
  });
  const linkDaysEnv = Number(env.PRIVACY_DESK_REPORT_LINK_DAYS ?? '');
  const service: ResponsesService = {
    settings,
    locale: asLocale(settings.locale),
    linkDays: options.linkDays ?? (Number.isInteger(linkDaysEnv) && linkDaysEnv > 0 ? linkDaysEnv : 7),
    mailer,
    codes,
    calls,
    texts,
    processors: new ProcessorNotices({ ...base, mailer, publicUrl: settings.publicUrl, fetch: options.fetch, retry: options.retry }),
    links: new ReportLinks({ ...base, dataDir: ctx.config.dataDir, publicUrl: settings.publicUrl }),
    disclosures: new DisclosuresRepo(ctx.db),
    datamap: (): DatamapForResponses | undefined => ctx.services.datamap,
    close: async () => {
      (sender as { close?: () => void }).close?.();
      (caller as { close?: () => void }).close?.();
      (sms as { close?: () => void }).close?.();
    },
  };
  ctx.services.responses = service;
  return service;
}
