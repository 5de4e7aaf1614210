import { resolve } from 'node:path';
import { loadConfig } from '../platform/config/config.js';
import { EmbeddedDatabaseInUseError } from '../platform/db/embedded-lock.js';
import {
  adminSocketPathOf,
  sendToAdminSocket,
  type AdminDispatcher,
  type CommandOutput,
} from '../platform/admin-socket/admin-socket.js';
import { createClearway, type Clearway } from '../main.js';

/**
 * Commands that read or write the database (keys, import, demo load, audit, rules) run wherever the
 * database can be reached: inside a running `clearway serve` that holds the embedded database, through
 * its local administration socket; otherwise in this process. Their arguments travel as JSON, so file
 * paths are made absolute before a command is sent.
 */
export type DatabaseCommand<A> = (clearway: Clearway, args: A, output: CommandOutput) => Promise<number>;

const commands = new Map<string, DatabaseCommand<never>>();

/** How long a command waits for the embedded database while another command (or a starting server) holds it. */
const WAIT_FOR_DATABASE_MS = 60_000;

const terminal: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: Boolean(process.stderr.isTTY),
};

/** Registers a command under a name and returns the function its commander action calls. */
export function databaseCommand<A>(name: string, run: DatabaseCommand<A>): (args: A) => Promise<void> {
  commands.set(name, run as DatabaseCommand<never>);
  return async (args) => {
    process.exitCode = await runDatabaseCommand(name, args);
  };
}

/** What a running server does with a command received on its administration socket. */
export function databaseCommandsIn(clearway: Clearway): AdminDispatcher {
  return async (request, output) => {
    const run = commands.get(request.command) as DatabaseCommand<unknown> | undefined;
    if (!run) {
      output.stderr(
        `the running server does not know the command "${request.command}": restart it with this version of Clearway\n`,
      );
      return 1;
    }
    return run(clearway, request.args, output);
  };
}

async function runDatabaseCommand(name: string, args: unknown): Promise<number> {
  const config = loadConfig();
  const run = commands.get(name) as DatabaseCommand<unknown>;
  const runHere = async () => {
    const clearway = await createClearway(config);
    try {
      return await run(clearway, args, terminal);
    } finally {
      await clearway.close();
    }
  };
  // Several processes share a PostgreSQL server; only the embedded database is one process's alone.
  if (config.DATABASE_URL) return runHere();
  const socket = adminSocketPathOf(resolve(config.DATA_DIR));
  const deadline = Date.now() + WAIT_FOR_DATABASE_MS;
  let toldWaiting = false;
  for (;;) {
    const throughServer = await sendToAdminSocket(socket, { command: name, args }, terminal);
    if (throughServer !== undefined) return throughServer;
    try {
      return await runHere();
    } catch (error) {
      if (!(error instanceof EmbeddedDatabaseInUseError) || Date.now() > deadline) throw error;
      if (!toldWaiting)
        terminal.stderr(
          `waiting for process ${error.holderPid} to finish with the embedded database (or to start serving) ...\n`,
        );
      toldWaiting = true;
      await new Promise((wake) => setTimeout(wake, 500));
    }
  }
}
