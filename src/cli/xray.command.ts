import type { Command } from 'commander';

/** `clearway xray ...`: train, classify, detect and evaluate X-ray threat recognition. */
export function registerXrayCommands(program: Command): void {
  program.command('xray').description('X-ray threat recognition: train, classify, detect, evaluate');
}
