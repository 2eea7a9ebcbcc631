// Maps the app's error classes to HTTP statuses and a JSON body the renderer understands.
// Messages of these errors name fields and case ids, never raw PII (the app guarantees that);
// anything else is an internal error whose message is not sent to the page.
import { ApiAuthError, ApiForbiddenError, ApiInputError, ApiNotFoundError, ApiStateError } from '../shared/app/api';

export interface ErrorBody {
  error: { type: 'input' | 'not_found' | 'state' | 'auth' | 'forbidden' | 'internal'; message: string; issues?: Array<{ path: string; message: string }> };
}

export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof ApiInputError) return { status: 400, body: { error: { type: 'input', message: e.message, issues: e.issues } } };
  if (e instanceof ApiNotFoundError) return { status: 404, body: { error: { type: 'not_found', message: e.message } } };
  if (e instanceof ApiAuthError) return { status: 401, body: { error: { type: 'auth', message: e.message } } };
  if (e instanceof ApiForbiddenError) return { status: 403, body: { error: { type: 'forbidden', message: e.message } } };
  if (e instanceof ApiStateError) return { status: 409, body: { error: { type: 'state', message: e.message } } };
  return { status: 500, body: { error: { type: 'internal', message: 'internal error (see the server log)' } } };
}
