import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { JobDto, TERMINAL_STATES } from '@/lib/schemas';
import { getJson, sendJson } from './errors';
import { jobKeys } from './keys';
import { apiPaths } from './paths';

export const fetchJobs = (signal?: AbortSignal) => getJson(apiPaths.jobs(), z.array(JobDto), signal);

/** The jobs list; refreshed every second while any job runs, so progress moves without a reload. */
export const useJobs = () =>
  useQuery({
    queryKey: jobKeys.list(),
    queryFn: ({ signal }) => fetchJobs(signal),
    refetchInterval: (q) => (q.state.data?.some((j) => !TERMINAL_STATES.includes(j.state)) ? 1000 : 10_000),
  });

export const cancelJob = (id: string) => sendJson('DELETE', apiPaths.job(id), undefined, JobDto);

/**
 * One job followed live over its event stream (SSE); falls back to the last known state. When
 * the stream fails (the server caps open streams: 429 `too-many-streams`, or the connection
 * dropped) the job is polled every 2 s instead until it ends.
 */
export function useJobStream(id: string | null): JobDto | null {
  const [job, setJob] = useState<JobDto | null>(null);
  const qc = useQueryClient();
  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const seen = (dto: JobDto) => {
      setJob(dto);
      if (TERMINAL_STATES.includes(dto.state)) {
        ended = true;
        void qc.invalidateQueries({ queryKey: jobKeys.all });
      }
    };
    const poll = () => {
      if (stopped || ended) return;
      getJson(apiPaths.job(id), JobDto)
        .then(seen, () => {})
        .finally(() => {
          if (!stopped && !ended) timer = setTimeout(poll, 2000);
        });
    };
    const es = new EventSource(apiPaths.jobEvents(id));
    es.addEventListener('job', (e) => {
      const parsed = JobDto.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (!parsed.success) return;
      seen(parsed.data);
      if (ended) es.close();
    });
    es.onerror = () => {
      es.close();
      poll();
    };
    return () => {
      stopped = true;
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [id, qc]);
  return id && job?.id === id ? job : null;
}
