import { parentPort, workerData } from 'node:worker_threads';
import { sendPaced, type PacedThreadOptions } from './paced-requests.js';

// The thread side of `sendPacedInThread`: sends the given requests in turn, then posts the result.
const { requests, ...options } = workerData as PacedThreadOptions;
let next = 0;
parentPort!.postMessage(await sendPaced({ ...options, next: () => requests[next++ % requests.length]! }));
