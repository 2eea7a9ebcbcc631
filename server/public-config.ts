// The public server's settings (environment, zod-checked): the business's name, logo and colour,
// who may embed the privacy center (frame-ancestors), which sites may post GPC signals (CORS), the
// proof-of-work difficulty, rate limits, and whether a reverse proxy's X-Forwarded-For is trusted.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';

const Origin = z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/u, 'an origin such as https://shop.example.com');
const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/u, 'a colour such as #1f4fb8');

/** WCAG relative luminance contrast of a colour against white. */
export function contrastOnWhite(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const l = 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  return 1.05 / (l + 0.05);
}

export const CenterConfigSchema = z.object({
  businessName: z.string().trim().min(1).max(120).default('PrivacyDesk'),
  /** Buttons, links and focus rings; must reach 4.5:1 on white (WCAG 2.2 AA). */
  accent: Hex.default('#1f4fb8').refine((h) => contrastOnWhite(h) >= 4.5, 'the colour must have a contrast of at least 4.5:1 on white (WCAG AA)'),
  logo: z.object({ mediaType: z.enum(['image/png', 'image/svg+xml', 'image/jpeg']), content: z.instanceof(Buffer) }).nullable().default(null),
  /** CSP frame-ancestors: 'none' unless origins are named (a business embedding the center in its site). */
  frameAncestors: z.array(Origin).max(20).default([]),
  /** Sites whose pages may post to /gpc from the browser (gpc.js). */
  gpcOrigins: z.array(Origin).max(50).default([]),
  /** Jurisdiction of GPC cases (the signal says nothing about where the person lives). */
  gpcJurisdiction: z.string().default('CA'),
  powBits: z.number().int().min(0).max(24).default(14),
  trustProxy: z.boolean().default(false),
  limits: z.object({
    /** Requests opened per client address per hour (a form posted without the proof-of-work counts 3). */
    requestsPerIpPerHour: z.number().int().min(1).default(30),
    /** Requests opened per email or phone number per day. */
    requestsPerIdentityPerDay: z.number().int().min(1).default(3),
    /** Code sends and code checks per client address per hour. */
    codesPerIpPerHour: z.number().int().min(1).default(30),
    /** GPC signals per client address per hour (a site's back end forwards many: raise it or list it). */
    gpcPerIpPerHour: z.number().int().min(1).default(120),
  }).default({ requestsPerIpPerHour: 30, requestsPerIdentityPerDay: 3, codesPerIpPerHour: 30, gpcPerIpPerHour: 120 }),
  maxBodyBytes: z.number().int().min(1024).default(12 * 1024 * 1024),
});
export type CenterConfig = z.output<typeof CenterConfigSchema>;
export type CenterConfigInput = z.input<typeof CenterConfigSchema>;

const LOGO_TYPES: Record<string, 'image/png' | 'image/svg+xml' | 'image/jpeg'> = { '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };
const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
const list = (v: string | undefined) => (v ?? '').split(/[\s,]+/u).filter(Boolean);

/**
 * From the environment: PRIVACY_DESK_BUSINESS_NAME, PRIVACY_DESK_CENTER_LOGO (a .png/.svg/.jpg file),
 * PRIVACY_DESK_CENTER_COLOR, PRIVACY_DESK_CENTER_FRAME_ANCESTORS, PRIVACY_DESK_GPC_ORIGINS,
 * PRIVACY_DESK_GPC_JURISDICTION, PRIVACY_DESK_CENTER_POW_BITS, PRIVACY_DESK_CENTER_TRUST_PROXY=1, and the rate
 * limits PRIVACY_DESK_CENTER_REQUESTS_PER_IP_HOUR, PRIVACY_DESK_CENTER_REQUESTS_PER_IDENTITY_DAY,
 * PRIVACY_DESK_CENTER_CODES_PER_IP_HOUR, PRIVACY_DESK_GPC_PER_IP_HOUR.
 */
export function centerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CenterConfig {
  const logoFile = env.PRIVACY_DESK_CENTER_LOGO;
  let logo = null;
  if (logoFile) {
    const mediaType = LOGO_TYPES[extname(logoFile).toLowerCase()];
    if (!mediaType) throw new Error('PRIVACY_DESK_CENTER_LOGO: a .png, .svg or .jpg file');
    logo = { mediaType, content: readFileSync(logoFile) };
  }
  const parsed = CenterConfigSchema.safeParse({
    businessName: env.PRIVACY_DESK_BUSINESS_NAME || undefined,
    accent: env.PRIVACY_DESK_CENTER_COLOR || undefined,
    logo,
    frameAncestors: list(env.PRIVACY_DESK_CENTER_FRAME_ANCESTORS),
    gpcOrigins: list(env.PRIVACY_DESK_GPC_ORIGINS),
    gpcJurisdiction: env.PRIVACY_DESK_GPC_JURISDICTION || undefined,
    powBits: env.PRIVACY_DESK_CENTER_POW_BITS ? Number(env.PRIVACY_DESK_CENTER_POW_BITS) : undefined,
    trustProxy: env.PRIVACY_DESK_CENTER_TRUST_PROXY === '1',
    limits: {
      requestsPerIpPerHour: num(env.PRIVACY_DESK_CENTER_REQUESTS_PER_IP_HOUR) ?? 30,
      requestsPerIdentityPerDay: num(env.PRIVACY_DESK_CENTER_REQUESTS_PER_IDENTITY_DAY) ?? 3,
      codesPerIpPerHour: num(env.PRIVACY_DESK_CENTER_CODES_PER_IP_HOUR) ?? 30,
      gpcPerIpPerHour: num(env.PRIVACY_DESK_GPC_PER_IP_HOUR) ?? 120,
    },
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; '));
  return parsed.data;
}
