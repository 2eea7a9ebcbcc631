// Entry of a simulator Lambda worker thread: registers tsx (the worker runs the TypeScript
// handlers from source), then loads lambda-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./lambda-worker.ts');
