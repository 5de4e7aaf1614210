import { Command } from 'commander';
import { registerAskCommand } from './ask.command.js';
import { registerAuditCommands } from './audit.command.js';
import { registerDemoCommands } from './demo.command.js';
import { registerImportCommand } from './import.command.js';
import { registerKeysCommands } from './keys.command.js';
import { registerModelCommands } from './model.command.js';
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
registerRulesCommands(program);
registerXrayCommands(program);
registerAskCommand(program);

await program.parseAsync(process.argv);
