import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

/**
 * The local administration socket: how a command-line tool reaches a running server that holds the
 * embedded database (which one process only may open). The server listens on a Unix socket in its data
 * folder, readable and writable by its own user alone, so whoever may connect could open the database
 * files anyway: the socket grants nothing new. A request is one JSON line naming a command and its
 * arguments; the answer streams the command's output lines and ends with its exit status.
 */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether a person watches a terminal (progress bars) or a log or socket reads the lines. */
  readonly isTerminal: boolean;
}

export interface AdminRequest {
  command: string;
  args: unknown;
}

/** Runs one named command in the server process; resolves to the command's exit status. */
export type AdminDispatcher = (request: AdminRequest, output: CommandOutput) => Promise<number>;

type AnswerLine = { stream: 'stdout' | 'stderr'; text: string } | { exitCode: number };

/** Unix socket paths are limited to about 100 bytes; a longer data folder path gets no socket. */
const MAX_SOCKET_PATH = 100;

export function adminSocketPathOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/clearway.sock`;
}

/** Listens on the socket; undefined (the caller logs why) when its path is too long for a Unix socket. */
export async function listenOnAdminSocket(
  path: string,
  dispatch: AdminDispatcher,
): Promise<{ close(): Promise<void> } | undefined> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) return undefined;
  // The caller holds the embedded database's lock, so a socket file left here belongs to a process that is gone.
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => void answer(socket, dispatch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

async function answer(socket: Socket, dispatch: AdminDispatcher): Promise<void> {
  socket.on('error', () => undefined); // a client that went away mid-answer
  const send = (line: AnswerLine) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(line)}\n`);
  };
  const lines = createInterface({ input: socket });
  const first = await new Promise<string | undefined>((resolve) => {
    lines.once('line', resolve);
    lines.once('close', () => resolve(undefined));
  });
  lines.close();
  if (first === undefined) return;
  let exitCode: number;
  try {
    const request = JSON.parse(first) as AdminRequest;
    exitCode = await dispatch(request, {
      stdout: (text) => send({ stream: 'stdout', text }),
      stderr: (text) => send({ stream: 'stderr', text }),
      isTerminal: false,
    });
  } catch (error) {
    send({ stream: 'stderr', text: `${(error as Error).message}\n` });
    exitCode = 1;
  }
  send({ exitCode });
  socket.end();
}

/**
 * Sends a command to the server listening on the socket and copies its output to `output`; resolves to
 * the command's exit status, or undefined when no server listens there (nothing was sent).
 */
export function sendToAdminSocket(
  path: string,
  request: AdminRequest,
  output: CommandOutput,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    let connected = false;
    let exitCode: number | undefined;
    const socket = createConnection(path);
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
      createInterface({ input: socket }).on('line', (line) => {
        const message = JSON.parse(line) as AnswerLine;
        if ('exitCode' in message) exitCode = message.exitCode;
        else output[message.stream](message.text);
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected) resolve(undefined);
      else reject(new Error(`the running server closed the connection: ${error.message}`));
    });
    socket.once('close', () => {
      if (!connected) return;
      if (exitCode === undefined) reject(new Error('the running server stopped before the command finished'));
      else resolve(exitCode);
    });
  });
}
