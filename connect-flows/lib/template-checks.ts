// The project's own checks of the deployment template (run always, whether or not cfn-lint is
// installed): every Lambda runtime is one Lambda accepts for new functions, every !Ref / !GetAtt /
// ${Name} of !Sub resolves to a Parameter, a Resource or a pseudo parameter, and no IAM statement
// grants a `*` action, or a `*` resource outside the short list below (each with its reason).
import { parse } from 'yaml';
import { cfnTags } from './template';

/** Runtimes Lambda creates functions on (nodejs20.x is refused since 2026-06-01). */
export const ALLOWED_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

/**
 * Statements allowed `Resource: '*'`: the action has no resource-level permissions.
 * - polly:SynthesizeSpeech (the Lex bot's role): Polly has no resource ARNs for voices.
 */
export const WILDCARD_RESOURCE_ALLOWED: ReadonlyArray<{ resource: string; action: string; why: string }> = [
  { resource: 'PrivacyBotRole', action: 'polly:SynthesizeSpeech', why: 'Polly voices have no resource ARN' },
];

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

export interface TemplateFinding { code: 'runtime' | 'unresolved-ref' | 'wildcard-action' | 'wildcard-resource'; where: string; message: string }

type Doc = {
  Parameters?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown> };
  Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
};

export function parseTemplateDocument(text: string): Doc {
  return (parse(text, { customTags: cfnTags() }) ?? {}) as Doc;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function checkTemplate(text: string): TemplateFinding[] {
  const doc = parseTemplateDocument(text);
  const out: TemplateFinding[] = [];
  const params = new Set(Object.keys(doc.Parameters ?? {}));
  const resources = doc.Resources ?? {};
  const known = (name: string) => params.has(name) || name in resources || PSEUDO.has(name);

  // Runtimes: Globals and every function (a function without one takes the Globals').
  const globalRuntime = doc.Globals?.Function?.Runtime;
  if (globalRuntime !== undefined && !ALLOWED_RUNTIMES.includes(globalRuntime as never)) {
    out.push({ code: 'runtime', where: 'Globals.Function', message: `Runtime ${String(globalRuntime)} is not one of ${ALLOWED_RUNTIMES.join(', ')}` });
  }
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Serverless::Function' && r.Type !== 'AWS::Lambda::Function') continue;
    const rt = r.Properties?.Runtime ?? globalRuntime;
    if (!ALLOWED_RUNTIMES.includes(rt as never)) out.push({ code: 'runtime', where: id, message: `Runtime ${String(rt)} is not one of ${ALLOWED_RUNTIMES.join(', ')}` });
  }

  // References.
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) { v.forEach((x) => walk(x, where)); return; }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'Ref' && typeof x === 'string' && !known(x)) out.push({ code: 'unresolved-ref', where, message: `!Ref ${x} is neither a Parameter, a Resource nor a pseudo parameter` });
      if (k === 'Fn::GetAtt') {
        const target = Array.isArray(x) ? x[0] : typeof x === 'string' ? x.split('.')[0] : undefined;
        if (typeof target !== 'string' || !(target in resources)) out.push({ code: 'unresolved-ref', where, message: `!GetAtt ${String(target)} is not a Resource` });
      }
      if (k === 'Fn::Sub') {
        const [s, vars] = Array.isArray(x) ? [x[0], (x[1] ?? {}) as Record<string, unknown>] : [x, {}];
        if (typeof s === 'string') {
          for (const m of s.matchAll(/\$\{([^!}][^}]*)\}/gu)) {
            const name = m[1]!.split('.')[0]!;
            if (!(name in vars) && !known(name)) out.push({ code: 'unresolved-ref', where, message: `\${${m[1]}} in !Sub is neither a Parameter, a Resource nor a pseudo parameter` });
            if (m[1]!.includes('.') && !(name in resources)) out.push({ code: 'unresolved-ref', where, message: `\${${m[1]}} in !Sub: ${name} is not a Resource` });
          }
        }
      }
      walk(x, where);
    }
  };
  for (const [id, r] of Object.entries(resources)) walk(r, id);
  walk(doc.Globals, 'Globals');
  walk(doc.Outputs, 'Outputs');

  // IAM statements.
  for (const [id, r] of Object.entries(resources)) {
    const docs: unknown[] = [];
    if (r.Type === 'AWS::IAM::Role') for (const p of list(r.Properties?.Policies)) docs.push((p as { PolicyDocument?: unknown }).PolicyDocument);
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties?.PolicyDocument);
    for (const d of docs) {
      for (const st of list((d as { Statement?: unknown })?.Statement) as Array<Record<string, unknown>>) {
        if (st.Effect !== 'Allow') continue;
        const actions = list(st.Action).filter((a): a is string => typeof a === 'string');
        for (const a of actions) if (a === '*' || a.endsWith(':*')) out.push({ code: 'wildcard-action', where: id, message: `action "${a}" grants every action` });
        if (list(st.Resource).some((x) => x === '*')) {
          const allowed = actions.length > 0 && actions.every((a) => WILDCARD_RESOURCE_ALLOWED.some((w) => w.resource === id && w.action === a));
          if (!allowed) out.push({ code: 'wildcard-resource', where: id, message: `Resource "*" for ${actions.join(', ')} is not on the documented list` });
        }
      }
    }
  }
  return out;
}
