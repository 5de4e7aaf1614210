import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What a `clearway` child process printed, and how it ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const binary = join(process.cwd(), 'bin', 'clearway.js');

/**
 * Runs `clearway <args>` as an operator would, on the embedded database in `dataDir` whatever the
 * environment of the test run says (unless `environment` names a DATABASE_URL, or another LOG_LEVEL
 * than silent); `killWhen` may kill it (SIGKILL) on what it has written to stderr.
 */
export function runCli(
  args: string[],
  dataDir: string,
  killWhen?: (stderr: string) => boolean,
  environment: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _serverUrl, ...inherited } = process.env;
    const child = spawn(process.execPath, [binary, ...args], {
      env: { ...inherited, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen?.(stderr) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
