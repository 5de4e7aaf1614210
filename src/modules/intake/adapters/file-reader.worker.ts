import { parentPort, workerData } from 'node:worker_threads';
import { prepareRecord, recordChecks, type PreparedRecord } from '../intake.record-checks.js';
import { readFileRecords, type FileReading } from './file-records.js';
import type { FileReaderInput, FileReaderMessage } from './file-reader.js';

// Reads, checks, hashes and stages a file's records in this thread and sends them in order, a chunk at a
// time, never more than `chunksAhead` chunks ahead of the thread that stores them.
const input = workerData as FileReaderInput;
const port = parentPort!;
const reading: FileReading = { bytesRead: 0 };
const checks = recordChecks(input.actor, input.channel);
let credits = input.chunksAhead;
let resume: (() => void) | undefined;
port.on('message', () => {
  credits++;
  resume?.();
  resume = undefined;
});

let chunk: PreparedRecord[] = [];
const send = async () => {
  if (credits === 0) await new Promise<void>((resolve) => (resume = resolve));
  credits--;
  port.postMessage({
    kind: 'records',
    records: chunk,
    bytesRead: reading.bytesRead,
  } satisfies FileReaderMessage);
  chunk = [];
};
for await (const raw of readFileRecords(input.channel, input.path, reading)) {
  chunk.push(prepareRecord(checks, raw, input.stage));
  if (chunk.length >= input.chunkSize) await send();
}
if (chunk.length > 0) await send();
port.postMessage({
  kind: 'done',
  bytesRead: reading.bytesRead,
  fileSha256: reading.fileSha256!,
} satisfies FileReaderMessage);
