// What every public route gets: the narrow backend, the settings, the abuse controls and the
// answer helpers with the strict headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PublicBackend } from '../public-backend';
import type { CenterConfig } from '../public-config';
import type { ProofOfWork, RateLimiter } from '../public-abuse';

export interface RouteContext {
  backend: PublicBackend;
  cfg: CenterConfig;
  pow: ProofOfWork;
  limits: { requestsPerIp: RateLimiter; requestsPerIdentity: RateLimiter; codesPerIp: RateLimiter; gpcPerIp: RateLimiter };
  /** Per-process salt of the identity rate-limit keys. */
  salt: Buffer;
  ip(req: IncomingMessage): string;
  html(res: ServerResponse, status: number, page: string): void;
  json(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void;
  onError(where: string, e: unknown): void;
}

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
