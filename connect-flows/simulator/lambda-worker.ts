// Runs one phone Lambda in a worker thread, configured by environment only (as in AWS), so the
// simulator can cut an invocation off at the block's time limit: worker.terminate() stops even a
// handler blocked in synchronous SQLite. The worker answers { id, ok, result | error }.
import { parentPort, workerData } from 'node:worker_threads';

const { name } = workerData as { name: 'crm-lookup' | 'intake' | 'opt-out' };
const load = name === 'crm-lookup' ? import('../../lambdas/crm-lookup/handler') : name === 'intake' ? import('../../lambdas/intake/handler') : import('../../lambdas/opt-out/handler');
const { setLogSink } = await import('../../lambdas/common/log');
setLogSink((line) => { process.stderr.write(`${line}\n`); });
const { handler } = await load;
parentPort!.on('message', (m: { id: number; event: unknown }) => {
  handler(m.event).then(
    (result) => parentPort!.postMessage({ id: m.id, ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, ok: false, error: (e as Error).name || 'Error' }),
  );
});
parentPort!.postMessage({ ready: true });
