import { validatorCompiler } from 'fastify-type-provider-zod';
import { textProblemsIn } from '../validation/text-rules.js';

type Compile = typeof validatorCompiler;

/**
 * The validator of every route part (params, query string, headers, body): first the text rules that
 * hold for every string of every endpoint (no control characters, no broken UTF-16, no U+FFFD), then
 * the route's zod schema. A NUL in a query parameter is then a 400 naming the parameter, instead of an
 * error from the database. Problems are reported in Ajv's shape, which the error handler reads.
 */
export const checkedValidatorCompiler = ((route: Parameters<Compile>[0]) => {
  const validate = validatorCompiler(route) as (data: unknown) => { value?: unknown; error?: unknown };
  return (data: unknown) => {
    const problems = textProblemsIn(data);
    if (problems.length === 0) return validate(data);
    return {
      error: problems.map(({ path, problem }) => ({
        instancePath: path ? `/${path}` : '',
        keyword: problem.rule,
        message: problem.message,
        params: {},
      })),
    };
  };
}) as Compile;
