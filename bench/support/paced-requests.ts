/**
 * An open-loop HTTP load: request i is due at start + i / rate and is sent then, whether or not earlier
 * answers have come back, and its latency counts from that due time (so a stalled server is charged for
 * the requests it kept waiting, not only for those it answered).
 *
 * Written here because autocannon, the bench client before, limits a rate with a per-second quota: each
 * connection sends back to back until it has sent its share of the second, then waits for the next tick.
 * Its "200/s" therefore arrives as a burst at the top of every second, and the server processes showed
 * event-loop stalls of 50-120 ms once a second even at 20 items/s (docs/operations.md, "An even 200 per
 * second"). Parcels reach customs as a stream; the burst phase is the place for bursts.
 */
import { Agent, request as httpRequest } from 'node:http';
import { Worker } from 'node:worker_threads';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  /** Requests sent. */
  sent: number;
  /** Requests due while `maxInFlight` were unanswered, and so not sent. */
  skipped: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Answers with another status. */
  non2xx: number;
  /** Requests that failed (connection refused or reset) or had no answer within the timeout. */
  failed: number;
  /** Milliseconds from each answered request's due time to its answer's end, sorted. */
  latencies: number[];
  /** Milliseconds from the first request's due time to the last answer. */
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentileOf(sorted: readonly number[], share: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

/**
 * Sends `rate` requests a second to `url` for `seconds` seconds, each built by `next` when it is due;
 * `onAnswer` hears each answer's status with what `next` returned. Resolves when every request has been
 * answered or has failed.
 */
export async function sendPaced<Context extends PacedRequest>(options: {
  url: string;
  rate: number;
  seconds: number;
  next: () => Context;
  onAnswer?: (status: number, request: Context) => void;
  timeoutMs?: number;
  /** Connections kept open to the server at most; requests beyond them wait for one (their wait counts). */
  maxSockets?: number;
  /**
   * Requests unanswered at most: one due beyond them is skipped, as a client with that many connections
   * sends no faster than it is answered (a burst far above what the servers can take would otherwise
   * queue in this process and time out). Unbounded when left out: the load is then open.
   */
  maxInFlight?: number;
}): Promise<PacedResult> {
  const { hostname, port } = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const total = Math.round(options.rate * options.seconds);
  const result: PacedResult = {
    sent: 0,
    skipped: 0,
    ok: 0,
    non2xx: 0,
    failed: 0,
    latencies: [],
    elapsedMs: 0,
  };
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      if (inFlight >= (options.maxInFlight ?? Infinity)) {
        result.skipped++;
        return resolve();
      }
      inFlight++;
      let settled = false;
      // An error after the answer (the socket closing) must not count the request twice.
      const done = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        inFlight--;
        resolve();
      };
      const request = options.next();
      const call = httpRequest(
        {
          agent,
          host: hostname,
          port,
          method: request.method,
          path: request.path,
          headers: {
            ...request.headers,
            ...(request.body ? { 'content-length': Buffer.byteLength(request.body) } : {}),
          },
          timeout: options.timeoutMs ?? 30_000,
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            done(() => {
              result.latencies.push(performance.now() - due);
              if (response.statusCode! >= 200 && response.statusCode! < 300) result.ok++;
              else result.non2xx++;
              options.onAnswer?.(response.statusCode!, request);
            }),
          );
        },
      );
      call.on('timeout', () => call.destroy(new Error('timed out')));
      call.on('error', () => done(() => result.failed++));
      call.end(request.body);
      result.sent++;
    });
  const interval = 1000 / options.rate;
  const start = performance.now();
  for (let index = 0; index < total;) {
    const now = performance.now();
    // Everything due by now goes out; a timer late by a few milliseconds sends its backlog at once.
    for (let due = start + index * interval; due <= now && index < total; due = start + ++index * interval)
      pending.push(send(due));
    if (index < total) await sleep(Math.max(0, start + index * interval - performance.now()));
  }
  await Promise.all(pending);
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  result.latencies.sort((a, b) => a - b);
  return result;
}

/** `sendPaced` of a fixed list of requests (sent in turn, from the first again when they run out). */
export interface PacedThreadOptions {
  url: string;
  rate: number;
  seconds: number;
  requests: PacedRequest[];
  timeoutMs?: number;
  maxSockets?: number;
}

/**
 * `sendPaced` in a worker thread of its own, for a bench whose server runs in the calling process: the
 * client then shares the CPUs with the server, as a client process on the same machine would, but not
 * its event loop (where its timers would wait behind the server's work and send late).
 */
export function sendPacedInThread(options: PacedThreadOptions): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./paced-requests.worker.mjs', import.meta.url), {
      workerData: options,
    });
    worker.once('message', (result: PacedResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the request thread exited with code ${code}`)));
  });
}
