// The Amazon Connect Flow language (Version "2019-10-30") as zod schemas: the shape every flow we
// read (ours or exported by someone else) must have before it is validated or simulated.
// Parameters are kept as loose records: each action type reads the ones it knows.
import { z } from 'zod';

export const ConditionSchema = z.object({
  NextAction: z.string().min(1, 'Conditions[].NextAction is required'),
  Condition: z.object({
    Operator: z.string().min(1),
    Operands: z.array(z.string()),
  }).passthrough(),
}).passthrough();

export const ErrorBranchSchema = z.object({
  ErrorType: z.string().min(1, 'Errors[].ErrorType is required'),
  NextAction: z.string().min(1, 'Errors[].NextAction is required'),
}).passthrough();

export const TransitionsSchema = z.object({
  NextAction: z.string().min(1).optional(),
  Errors: z.array(ErrorBranchSchema).optional(),
  Conditions: z.array(ConditionSchema).optional(),
}).passthrough();

export const ActionSchema = z.object({
  Identifier: z.string().min(1, 'Identifier is required'),
  Type: z.string().min(1, 'Type is required'),
  Parameters: z.record(z.string(), z.unknown()).default({}),
  Transitions: TransitionsSchema.default({}),
}).passthrough();

export const FlowSchema = z.object({
  Version: z.string().min(1, 'Version is required'),
  StartAction: z.string().min(1, 'StartAction is required'),
  Metadata: z.record(z.string(), z.unknown()).optional(),
  Actions: z.array(z.unknown()).min(1, 'Actions must list at least one action'),
  Settings: z.unknown().optional(),
}).passthrough();

export type FlowAction = z.infer<typeof ActionSchema>;
export interface Flow {
  Version: string;
  StartAction: string;
  Actions: FlowAction[];
  Metadata?: Record<string, unknown>;
  /** Flow modules declare inputs/outputs here. */
  Settings?: unknown;
}

/** One target of a transition, with where it came from (for messages). */
export interface Edge { from: string; to: string; via: string }

export function edgesOf(a: FlowAction): Edge[] {
  const t = a.Transitions;
  const out: Edge[] = [];
  if (t.NextAction) out.push({ from: a.Identifier, to: t.NextAction, via: 'NextAction' });
  for (const e of t.Errors ?? []) out.push({ from: a.Identifier, to: e.NextAction, via: `Errors[${e.ErrorType}]` });
  for (const c of t.Conditions ?? []) out.push({ from: a.Identifier, to: c.NextAction, via: `Conditions[${c.Condition.Operator} ${c.Condition.Operands.join(',')}]` });
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
