import type { FieldError } from '../../../platform/errors/field-error.js';
import type { ParameterSpec, ParameterValue, ParameterValues } from '../catalogue/analytical-model.js';

/**
 * An officer's parameters checked against the model's specification: unknown names, wrong types and
 * values outside the limits are refused with one field error each (path `parameters/<name>`, rules the
 * HTTP edge already renders in ko/en/fr); missing ones take their default. The stored run keeps the
 * complete set, so that it can be reproduced even after a default changes.
 */
export function validateParameters(
  specs: readonly ParameterSpec[],
  input: Record<string, unknown>,
): { ok: true; values: ParameterValues } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const known = new Map(specs.map((spec) => [spec.name, spec]));
  for (const [name, value] of Object.entries(input))
    if (!known.has(name))
      errors.push({
        path: `parameters/${name}`,
        value,
        rule: 'unknown-field',
        message: `is not a parameter of this model (known: ${specs.map((spec) => spec.name).join(', ')})`,
      });
  const values: ParameterValues = {};
  for (const spec of specs) {
    const given = input[spec.name];
    if (given === undefined || given === null) {
      values[spec.name] = spec.default;
      continue;
    }
    const checked = checkValue(spec, given);
    if ('error' in checked) errors.push({ path: `parameters/${spec.name}`, value: given, ...checked.error });
    else values[spec.name] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

type Checked = { value: ParameterValue } | { error: Pick<FieldError, 'rule' | 'message' | 'params'> };

function checkValue(spec: ParameterSpec, given: unknown): Checked {
  switch (spec.type) {
    case 'number':
    case 'integer': {
      // Query strings and the command line send numbers as text; a blank or non-numeric text is a type error.
      const value = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { error: { rule: 'type', message: `must be a number` } };
      if (spec.type === 'integer' && !Number.isInteger(value))
        return { error: { rule: 'type', message: 'must be a whole number' } };
      if (value < spec.min)
        return {
          error: { rule: 'too-small', message: `must be at least ${spec.min}`, params: { min: spec.min } },
        };
      if (value > spec.max)
        return {
          error: { rule: 'too-large', message: `must be at most ${spec.max}`, params: { max: spec.max } },
        };
      return { value };
    }
    case 'boolean': {
      const value = given === 'true' ? true : given === 'false' ? false : given;
      return typeof value === 'boolean'
        ? { value }
        : { error: { rule: 'type', message: 'must be true or false' } };
    }
    case 'choice':
      return typeof given === 'string' && spec.choices.includes(given)
        ? { value: given }
        : { error: { rule: 'one-of', message: `must be one of ${spec.choices.join(', ')}` } };
    case 'text':
      if (typeof given !== 'string') return { error: { rule: 'type', message: 'must be text' } };
      if (given.length > spec.maxLength)
        return {
          error: {
            rule: 'too-long',
            message: `must be at most ${spec.maxLength} characters`,
            params: { max: spec.maxLength },
          },
        };
      return { value: given };
  }
}
