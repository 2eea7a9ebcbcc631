// Lambda handlers that run in worker threads (one warm worker per function, like a Lambda
// container): a call the flow stops waiting for is cut off with worker.terminate(), and the next
// call gets a new (cold) worker. Configuration reaches the worker by environment, as in AWS.
import { Worker } from 'node:worker_threads';
import type { LambdaHandler } from './simulate';

export const FUNCTIONS: Record<string, 'crm-lookup' | 'intake' | 'opt-out'> = {
  CrmLookupFunction: 'crm-lookup', IntakeFunction: 'intake', OptOutFunction: 'opt-out',
};

export interface IsolatedLambdas { lambdas: Record<string, LambdaHandler>; close(): Promise<void> }

export function isolatedLambdas(env: Record<string, string>): IsolatedLambdas {
  const workers = new Map<string, { w: Worker; ready: Promise<void> }>();
  let seq = 0;
  const spawn = (name: 'crm-lookup' | 'intake' | 'opt-out') => {
    const w = new Worker(new URL('./lambda-worker-boot.mjs', import.meta.url), { workerData: { name }, env: { ...process.env, ...env }, stderr: false });
    const ready = new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }) => { if (m.ready) { w.off('message', onMsg); resolve(); } };
      w.on('message', onMsg);
      w.once('error', reject);
    });
    return { w, ready };
  };
  const lambdas: Record<string, LambdaHandler> = {};
  for (const [id, name] of Object.entries(FUNCTIONS)) {
    lambdas[id] = async (event: unknown, signal?: AbortSignal) => {
      let entry = workers.get(id);
      if (!entry) { entry = spawn(name); workers.set(id, entry); }
      const { w, ready } = entry;
      const callId = (seq += 1);
      return new Promise((resolve, reject) => {
        const cut = () => { workers.delete(id); void w.terminate(); reject(new Error('cut off')); };
        if (signal?.aborted) { cut(); return; }
        signal?.addEventListener('abort', cut, { once: true });
        const onMsg = (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
          if (m.id !== callId) return;
          w.off('message', onMsg);
          signal?.removeEventListener('abort', cut);
          if (m.ok) resolve(m.result); else reject(Object.assign(new Error('handler failed'), { name: m.error ?? 'Error' }));
        };
        w.on('message', onMsg);
        ready.then(() => w.postMessage({ id: callId, event }), (e: unknown) => { signal?.removeEventListener('abort', cut); reject(e as Error); });
      });
    };
  }
  return {
    lambdas,
    close: async () => { await Promise.all([...workers.values()].map((e) => e.w.terminate())); workers.clear(); },
  };
}
