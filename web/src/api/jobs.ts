import { api } from './client';
import { endpoints } from './endpoints';
import type { Job } from './types';

/** Follows a background job once a second until it ends; reports each state on the way. */
export async function waitForJob(
  jobId: number,
  onUpdate: (job: Job) => void,
  signal?: AbortSignal,
): Promise<Job> {
  for (;;) {
    const job = await api<Job>('get', endpoints.job, { params: { id: jobId }, signal });
    onUpdate(job);
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
  }
}
