import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';

/** What the metrics read from the rest of the process when Prometheus scrapes. */
export interface MetricSources {
  /** Rows waiting per subscriber and the age of the oldest, in seconds. */
  outboxBacklog(): Promise<{ subscriber: string; rows: number; oldestSeconds: number }[]>;
  /** The risk model targeting scores with now. */
  modelVersion(): string;
}

/**
 * The process's Prometheus metrics (prom-client), one registry per Clearway instance so that several in
 * one test process do not mix: HTTP requests and latencies by route template, outbox backlog and age,
 * decisions per lane, the active model version, job durations, and Node's own process metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly decisions: Counter<'lane' | 'trigger'>;
  private readonly jobs: Histogram<'kind' | 'outcome'>;

  constructor(sources: MetricSources, labels: { role: string }) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry, prefix: 'clearway_' });
    this.requests = new Counter({
      name: 'clearway_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'clearway_http_request_duration_seconds',
      help: 'Time from request to response, by method and route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.decisions = new Counter({
      name: 'clearway_decisions_total',
      help: 'Targeting decisions written by this process, by lane and trigger',
      labelNames: ['lane', 'trigger'],
      registers: [this.registry],
    });
    this.jobs = new Histogram({
      name: 'clearway_job_duration_seconds',
      help: 'Background job run time, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [this.registry],
    });
    // One query feeds both backlog gauges at each scrape.
    let reading: Promise<void> | undefined;
    const readBacklog = (): Promise<void> =>
      (reading ??= sources
        .outboxBacklog()
        .then((rows) => {
          backlogRows.reset();
          backlogAge.reset();
          for (const row of rows) {
            backlogRows.set({ subscriber: row.subscriber }, row.rows);
            backlogAge.set({ subscriber: row.subscriber }, row.oldestSeconds);
          }
        })
        .finally(() => (reading = undefined)));
    const backlogRows = new Gauge({
      name: 'clearway_outbox_backlog_rows',
      help: 'Events waiting for delivery, per subscriber (shared by every process on the database)',
      labelNames: ['subscriber'],
      registers: [this.registry],
      collect: readBacklog,
    });
    const backlogAge = new Gauge({
      name: 'clearway_outbox_oldest_age_seconds',
      help: 'Age of the oldest event waiting for delivery, per subscriber',
      labelNames: ['subscriber'],
      registers: [this.registry],
      collect: readBacklog,
    });
    new Gauge({
      name: 'clearway_model_info',
      help: 'The risk model targeting scores with (value 1, version as a label)',
      labelNames: ['version'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.set({ version: sources.modelVersion() }, 1);
      },
    });
  }

  /** Counts every answered request under its route template (`/api/v1/parcels/:id`), never the raw URL. */
  instrument(http: FastifyInstance): void {
    http.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      this.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  }

  decisionsWritten(decisions: readonly { lane: string; trigger: string }[]): void {
    for (const decision of decisions) this.decisions.inc({ lane: decision.lane, trigger: decision.trigger });
  }

  jobFinished(kind: string, seconds: number, outcome: 'succeeded' | 'failed'): void {
    this.jobs.observe({ kind, outcome }, seconds);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
