import type { Command } from 'commander';

/** `clearway model ...`: train, evaluate, score and simulate risk models. */
export function registerModelCommands(program: Command): void {
  program.command('model').description('risk models: train, evaluate, score, simulate');
}
