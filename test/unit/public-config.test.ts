// The public server's settings from the environment (docs/PRIVACY-CENTER.md): defaults, rate limits,
// origins, colour contrast.
import { describe, expect, it } from 'vitest';
import { centerConfigFromEnv } from '../../server/public-config';

describe('centerConfigFromEnv', () => {
  it('has the documented defaults', () => {
    const c = centerConfigFromEnv({});
    expect(c).toMatchObject({ businessName: 'PrivacyDesk', accent: '#1f4fb8', frameAncestors: [], gpcOrigins: [], gpcJurisdiction: 'CA', powBits: 14, trustProxy: false });
    expect(c.limits).toEqual({ requestsPerIpPerHour: 30, requestsPerIdentityPerDay: 3, codesPerIpPerHour: 30, gpcPerIpPerHour: 120 });
  });

  it('reads names, origins, the proxy switch and the rate limits', () => {
    const c = centerConfigFromEnv({
      PRIVACY_DESK_BUSINESS_NAME: 'Acme', PRIVACY_DESK_CENTER_FRAME_ANCESTORS: 'https://www.acme.example https://shop.acme.example',
      PRIVACY_DESK_GPC_ORIGINS: 'https://www.acme.example', PRIVACY_DESK_CENTER_TRUST_PROXY: '1',
      PRIVACY_DESK_CENTER_REQUESTS_PER_IP_HOUR: '100', PRIVACY_DESK_CENTER_REQUESTS_PER_IDENTITY_DAY: '5',
      PRIVACY_DESK_CENTER_CODES_PER_IP_HOUR: '60', PRIVACY_DESK_GPC_PER_IP_HOUR: '1000',
    });
    expect(c).toMatchObject({ businessName: 'Acme', frameAncestors: ['https://www.acme.example', 'https://shop.acme.example'], gpcOrigins: ['https://www.acme.example'], trustProxy: true });
    expect(c.limits).toEqual({ requestsPerIpPerHour: 100, requestsPerIdentityPerDay: 5, codesPerIpPerHour: 60, gpcPerIpPerHour: 1000 });
  });

  it('refuses a limit that is not a number and a colour below 4.5:1 on white', () => {
    expect(() => centerConfigFromEnv({ PRIVACY_DESK_GPC_PER_IP_HOUR: 'lots' })).toThrow(/limits.gpcPerIpPerHour/u);
    expect(() => centerConfigFromEnv({ PRIVACY_DESK_CENTER_COLOR: '#ffcc00' })).toThrow(/4.5:1/u);
  });
});
