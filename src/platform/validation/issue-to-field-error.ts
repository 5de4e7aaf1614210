import type { z } from 'zod';
import { shownValue, visibleText, type FieldError } from '../errors/field-error.js';

/**
 * One zod issue as a field error: the path, the value as received (masked where personal), the rule
 * (a schema's own `params.rule`, else one named from the issue) and a sentence. Request parts checked
 * by Fastify and records checked by intake report through this same function.
 */
export function fieldErrorOfIssue(issue: z.core.$ZodIssue, value: unknown, path: string): FieldError {
  const { rule: customRule, ...params }: Record<string, unknown> =
    (issue as { params?: { rule?: string } }).params ?? {};
  const rule = typeof customRule === 'string' ? customRule : ruleFromIssue(issue, value);
  const fieldError: FieldError = {
    path: visibleText(path),
    value: shownValue(path, value),
    rule,
    message: visibleText(humanMessage(issue, value, rule)),
  };
  if (issue.code === 'too_big') params.max = Number(issue.maximum);
  if (issue.code === 'too_small') params.min = Number(issue.minimum);
  if (Object.keys(params).length > 0) fieldError.params = params as FieldError['params'];
  return fieldError;
}

function ruleFromIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union')
    return value === undefined ? 'required' : 'type';
  if (issue.code === 'unrecognized_keys') return 'unknown-field';
  if (issue.code === 'invalid_value') return 'one-of';
  if (issue.code === 'too_big') return issue.origin === 'string' ? 'too-long' : 'too-large';
  if (issue.code === 'too_small')
    return issue.origin === 'string' ? (Number(issue.minimum) === 1 ? 'empty' : 'too-short') : 'too-small';
  return issue.code;
}

/**
 * A present value of the wrong type is "must be a number", not "is required": zod reports both as
 * invalid_type (or, for the number-or-string amounts, invalid_union), so the value decides.
 */
function humanMessage(issue: z.core.$ZodIssue, value: unknown, rule: string): string {
  if (rule === 'required') return 'is required';
  if (rule === 'type') {
    const expected = issue.code === 'invalid_type' ? String(issue.expected) : 'number';
    return `must be ${TYPE_NAMES[expected] ?? `a ${expected}`}, not ${typeNameOf(value)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a JSON object',
  array: 'a list',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  int: 'a whole number',
};

function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? 'a string' : `the ${typeof value} ${String(value)}`;
}

/** The value at a path of issue keys (or a JSON pointer's segments) inside a parsed input. */
export function valueAtPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
