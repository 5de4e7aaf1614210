import { InvalidArgumentError } from 'commander';

/** Commander parser for options that count something: 1, 2, 3, ... */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return parsed;
}
