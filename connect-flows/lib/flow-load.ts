// Reading a flow file: JSON, then the flow shape. A file that is not JSON or not a flow at all is a
// FlowLoadError (the validator exits 2); a flow whose individual actions are malformed still loads,
// and the bad actions are reported as findings (so one odd block does not hide the rest).
import { readFileSync } from 'node:fs';
import { ActionSchema, FlowSchema, type Flow, type FlowAction } from './flow-schema';

export class FlowLoadError extends Error {
  constructor(message: string) { super(message); this.name = 'FlowLoadError'; }
}

export interface LoadedFlow {
  flow: Flow;
  /** Actions that did not match the action shape: their index, Identifier if any, and why. */
  badActions: Array<{ index: number; identifier: string | null; problem: string }>;
}

export function parseFlow(text: string, source = 'flow'): LoadedFlow {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FlowLoadError(`${source}: not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const top = FlowSchema.safeParse(raw);
  if (!top.success) {
    const issues = top.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FlowLoadError(`${source}: not an Amazon Connect flow (${issues})`);
  }
  const actions: FlowAction[] = [];
  const badActions: LoadedFlow['badActions'] = [];
  top.data.Actions.forEach((a, index) => {
    const r = ActionSchema.safeParse(a);
    if (r.success) { actions.push(r.data); return; }
    const id = a && typeof a === 'object' && typeof (a as { Identifier?: unknown }).Identifier === 'string' ? (a as { Identifier: string }).Identifier : null;
    badActions.push({ index, identifier: id, problem: r.error.issues.map((i) => `${i.path.join('.') || '(action)'}: ${i.message}`).join('; ') });
  });
  const flow: Flow = {
    Version: top.data.Version, StartAction: top.data.StartAction, Actions: actions,
    Metadata: top.data.Metadata, Settings: top.data.Settings,
  };
  return { flow, badActions };
}

export function loadFlowFile(file: string): LoadedFlow {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlowLoadError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseFlow(text, file);
}
