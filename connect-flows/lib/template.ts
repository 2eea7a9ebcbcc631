// The deployment template (AWS SAM / CloudFormation YAML) as the validator and simulator see it:
// which Parameters exist, which Lambda functions and Lex bot aliases are declared. Short-form
// intrinsic tags (!Ref, !Sub, !GetAtt, ...) are read as their long forms.
import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

export interface TemplateModel {
  file: string;
  parameters: Set<string>;
  resources: Map<string, { Type: string; Properties: Record<string, unknown> }>;
  /** Lambda functions: logical id -> literal FunctionName if it has one. */
  functions: Map<string, string | null>;
  /** AWS::Lex::BotAlias logical ids. */
  lexAliases: Set<string>;
}

const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'GetAZs', 'Condition', 'Transform'];

export function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of INTRINSICS) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    for (const nodeClass of ['scalar', 'seq', 'map'] as const) {
      tags.push({
        tag: `!${name}`,
        collection: nodeClass === 'scalar' ? undefined : nodeClass,
        resolve: (value: unknown) => {
          const v = value && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
          if (name === 'GetAtt' && typeof v === 'string') return { [key]: v.split('.') };
          return { [key]: v };
        },
      } as Tags[number]);
    }
  }
  return tags;
}

export class TemplateLoadError extends Error {
  constructor(message: string) { super(message); this.name = 'TemplateLoadError'; }
}

export function parseTemplate(text: string, file = 'template'): TemplateModel {
  let doc: unknown;
  try {
    doc = parse(text, { customTags: cfnTags() });
  } catch (e) {
    throw new TemplateLoadError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const d = (doc ?? {}) as { Parameters?: Record<string, unknown>; Resources?: Record<string, { Type?: unknown; Properties?: unknown }> };
  if (!d.Resources || typeof d.Resources !== 'object') throw new TemplateLoadError(`${file}: has no Resources section`);
  const model: TemplateModel = {
    file, parameters: new Set(Object.keys(d.Parameters ?? {})), resources: new Map(), functions: new Map(), lexAliases: new Set(),
  };
  for (const [id, r] of Object.entries(d.Resources)) {
    const type = typeof r?.Type === 'string' ? r.Type : '';
    const props = (r?.Properties && typeof r.Properties === 'object' ? r.Properties : {}) as Record<string, unknown>;
    model.resources.set(id, { Type: type, Properties: props });
    if (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function') {
      model.functions.set(id, typeof props.FunctionName === 'string' ? props.FunctionName : null);
    }
    if (type === 'AWS::Lex::BotAlias') model.lexAliases.add(id);
  }
  return model;
}

export function loadTemplate(file: string): TemplateModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TemplateLoadError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTemplate(text, file);
}

/** `${Name}` / `${Name.Attr}` placeholders (Fn::Sub variables) in a string. */
export function subVariables(s: string): Array<{ name: string; attr: string | null }> {
  const out: Array<{ name: string; attr: string | null }> = [];
  for (const m of s.matchAll(/\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}/gu)) out.push({ name: m[1]!, attr: m[2] ?? null });
  return out;
}

export type RefCheck = { declared: true; logicalId: string | null; functionName: string | null } | { declared: false; why: string };

const LAMBDA_ARN_RE = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/u;

/** Is a Lambda reference (`${Fn.Arn}` or a literal ARN) declared in the template? */
export function checkLambdaRef(t: TemplateModel, ref: string): RefCheck {
  const vars = subVariables(ref);
  if (vars.length === 1 && ref.trim() === `\${${vars[0]!.name}${vars[0]!.attr ? `.${vars[0]!.attr}` : ''}}`) {
    const v = vars[0]!;
    if (t.functions.has(v.name) && (v.attr === 'Arn' || v.attr === null)) return { declared: true, logicalId: v.name, functionName: t.functions.get(v.name) ?? null };
    return { declared: false, why: `\${${v.name}${v.attr ? `.${v.attr}` : ''}} is not a Lambda function of ${t.file}` };
  }
  const m = LAMBDA_ARN_RE.exec(ref.trim());
  if (m) {
    for (const [id, name] of t.functions) if (name === m[1]) return { declared: true, logicalId: id, functionName: name };
    return { declared: false, why: `function "${m[1]}" is not declared in ${t.file}` };
  }
  return { declared: false, why: `"${ref.slice(0, 80)}" is neither a Lambda ARN nor a \${Function.Arn} reference to ${t.file}` };
}

/** Is a Lex V2 alias reference declared in the template? */
export function checkLexRef(t: TemplateModel, ref: string): RefCheck {
  const vars = subVariables(ref);
  if (vars.length === 1 && t.lexAliases.has(vars[0]!.name) && (vars[0]!.attr === 'Arn' || vars[0]!.attr === null)) {
    return { declared: true, logicalId: vars[0]!.name, functionName: null };
  }
  return { declared: false, why: `Lex bot alias "${ref.slice(0, 100)}" is not an AWS::Lex::BotAlias of ${t.file}` };
}
