// Child of bench/phone-crm-lookup.ts: a fresh process, like a new Lambda container. Configured by
// environment only; prints how long the module load and the first invocation took.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { handler } = await import('../lambdas/crm-lookup/handler');
const t1 = performance.now();
const event = {
  Name: 'ContactFlowEvent',
  Details: { ContactData: { ContactId: 'cold-1', CustomerEndpoint: { Address: process.env.BENCH_PHONE, Type: 'TELEPHONE_NUMBER' }, Attributes: {} }, Parameters: { lookup: 'crm' } },
};
const out = await handler(event);
const t2 = performance.now();
const second = performance.now();
await handler(event);
const t3 = performance.now();
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, secondCallMs: t3 - second, found: out.found })}\n`);
