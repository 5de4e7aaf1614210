import { Worker } from 'node:worker_threads';
import type { Actor } from '../../../platform/auth/actor.js';
import type { IntakeChannel, PreparedRecord } from '../intake.record-checks.js';
import type { FileReading } from './file-records.js';

export interface FileReaderInput {
  actor: Actor;
  channel: IntakeChannel;
  path: string;
  /** Whether valid records are staged for a bulk store. */
  stage: boolean;
  chunkSize: number;
  chunksAhead: number;
}

export type FileReaderMessage =
  | { kind: 'records'; records: PreparedRecord[]; bytesRead: number }
  | { kind: 'done'; bytesRead: number; fileSha256: string };

/**
 * A file's records read, checked, hashed and staged by a thread of their own (`file-reader.worker.ts`),
 * in file order: the thread that stores them only writes batches, and the two share the process's cores.
 * Reading was the longer side of a bulk import once the database's merges were set-wise (9 against 5 s
 * of CPU for 100,000 express lines, docs/operations.md). The worker stops when the iteration does.
 */
export async function* readFileInWorker(
  input: Omit<FileReaderInput, 'chunkSize' | 'chunksAhead'>,
  reading: FileReading,
): AsyncGenerator<PreparedRecord> {
  const worker = new Worker(new URL('./file-reader.worker.mjs', import.meta.url), {
    workerData: {
      ...input,
      // Only data crosses to the thread: a caller's credential may hold more than plain values.
      actor: JSON.parse(JSON.stringify(input.actor)) as Actor,
      chunkSize: 1000,
      chunksAhead: 8,
    } satisfies FileReaderInput,
  });
  const messages: FileReaderMessage[] = [];
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: FileReaderMessage) => {
    finished ||= message.kind === 'done';
    messages.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    if (!finished)
      failure ??= new Error(`the file reader stopped before the end of the file (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      const message = messages.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      reading.bytesRead = message.bytesRead;
      if (message.kind === 'done') {
        reading.fileSha256 = message.fileSha256;
        return;
      }
      worker.postMessage('more');
      yield* message.records;
    }
  } finally {
    await worker.terminate();
  }
}
