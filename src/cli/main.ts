import { Command } from 'commander';
import { registerAnalyticsCommands } from './analytics.command.js';
import { registerAskCommand } from './ask.command.js';
import { registerAuditCommands } from './audit.command.js';
import { registerDemoCommands } from './demo.command.js';
import { registerImportCommand } from './import.command.js';
import { registerKeysCommands } from './keys.command.js';
import { registerModelCommands } from './model.command.js';
import { registerRatesCommands } from './rates.command.js';
import { registerRulesCommands } from './rules.command.js';
import { registerServeCommand } from './serve.command.js';
import { registerXrayCommands } from './xray.command.js';

/** The `clearway` command: every role of the system (server, worker, imports, models) from one entry. */
const program = new Command()
  .name('clearway')
  .description('Customs clearance and risk targeting for cross-border e-commerce parcels')
  .showHelpAfterError();

registerServeCommand(program);
registerKeysCommands(program);
registerAuditCommands(program);
registerImportCommand(program);
registerDemoCommands(program);
registerModelCommands(program);
registerRatesCommands(program);
registerRulesCommands(program);
registerXrayCommands(program);
registerAskCommand(program);
registerAnalyticsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Every failure is one line that says what to do; stack traces are for the log of a server, not for a person.
  process.stderr.write(`clearway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
