import { z } from 'zod';
import { StepResult } from './operation';

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type JobState = z.infer<typeof JobState>;

/** GET /api/jobs item: one long operation (convert, wipe, clone, check, upload, download). */
export const JobDto = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  hostId: z.string(),
  /** The object it works on, e.g. {pool, volume}. */
  target: z.record(z.string(), z.string()),
  state: JobState,
  /** While `queued`: how many jobs of the same host are ahead of it (0 = next to start); null otherwise. */
  queuedAhead: z.number().int().nonnegative().nullable().default(null),
  /** 0–100, or null when the tool reports none (wipe, clone). */
  progress: z.number().nullable(),
  bytesDone: z.number().nullable(),
  bytesTotal: z.number().nullable(),
  command: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string(), detail: z.unknown().optional() }).nullable(),
  result: z.unknown().nullable(),
  /** A job made of steps (pool create): each step's result as it finishes, undo steps too. Live only, not stored. */
  steps: z.array(StepResult).default([]),
});
export type JobDto = z.infer<typeof JobDto>;

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
