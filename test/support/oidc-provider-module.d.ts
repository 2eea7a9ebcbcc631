// The part of oidc-provider (npm, no bundled types) the tests use: test/support/oidc-provider.ts.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export interface ProviderAccount { accountId: string; claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown> }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
