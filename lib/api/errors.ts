import { ApiErrorBody } from '@/lib/schemas';
import type { z } from 'zod';

/**
 * An error the API reported (`{ error: { code, message, detail } }`), or one met on the way
 * (network down, a body that does not match the contract). Components word it with
 * <ErrorPanel>: the message as the summary, the detail (command, stderr, exit code) collapsible.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: unknown;

  constructor(code: string, message: string, opts: { status?: number; detail?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = opts.status ?? 0;
    this.detail = opts.detail;
  }
}

/** The failing command's facts, when the server attached them. */
export interface CommandDetail {
  command?: string;
  stderr?: string;
  exitCode?: number;
}

/** Reads `detail` defensively: it is `unknown` on the wire and may be any shape. */
export function commandDetail(detail: unknown): CommandDetail & { rest: Record<string, unknown> } {
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return { rest: detail === undefined ? {} : { detail } };
  const { command, stderr, exitCode, ...rest } = detail as Record<string, unknown>;
  return {
    command: typeof command === 'string' ? command : Array.isArray(command) ? command.join(' ') : undefined,
    stderr: typeof stderr === 'string' ? stderr : undefined,
    exitCode: typeof exitCode === 'number' ? exitCode : undefined,
    rest,
  };
}

/**
 * GET a JSON resource and check it against its DTO schema. Throws ApiError for HTTP errors,
 * network failures and contract mismatches alike, so callers handle one type.
 */
export async function getJson<S extends z.ZodType>(url: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', `Could not reach the console server (${(err as Error).message})`, { detail: { url } });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError('bad-response', `The server answered ${res.status} with something that is not JSON`, {
      status: res.status,
      detail: { url, body: text.slice(0, 2000) },
    });
  }
  if (!res.ok) {
    const parsed = ApiErrorBody.safeParse((body as { error?: unknown } | undefined)?.error);
    if (parsed.success) throw new ApiError(parsed.data.code, parsed.data.message, { status: res.status, detail: parsed.data.detail });
    throw new ApiError('http', `The server answered ${res.status} ${res.statusText}`, { status: res.status, detail: { url } });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError('contract', `The server's answer for ${url} does not match the API contract`, {
      status: res.status,
      detail: { url, issues: parsed.error.issues.slice(0, 20) },
    });
  }
  return parsed.data;
}

/**
 * Send JSON (POST/PUT/DELETE) and read the answer against its DTO schema: the console's one write
 * client. An error body becomes an ApiError (a guard's 409 carries `detail.confirmWith` — see
 * `guardOf` —, a failed operation's 502 `detail.failedStep/stepsDone/undone`).
 */
export async function sendJson<S extends z.ZodType>(method: string, url: string, body: unknown, schema: S, headers: Record<string, string> = {}): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError('network', `Could not reach the console server (${(err as Error).message})`, { detail: { url } });
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError('bad-response', `The server answered ${res.status} with something that is not JSON`, { status: res.status, detail: { url, body: text.slice(0, 2000) } });
  }
  if (!res.ok) {
    const e = ApiErrorBody.safeParse((parsed as { error?: unknown } | undefined)?.error);
    if (e.success) throw new ApiError(e.data.code, e.data.message, { status: res.status, detail: e.data.detail });
    throw new ApiError('http', `The server answered ${res.status} ${res.statusText}`, { status: res.status, detail: { url } });
  }
  const ok = schema.safeParse(parsed);
  if (!ok.success) throw new ApiError('contract', `The server's answer for ${url} does not match the API contract`, { status: res.status, detail: { url, issues: ok.error.issues.slice(0, 20) } });
  return ok.data;
}

/** A guard's refusal (409 with `detail.confirmWith`): what to type, and what is at stake. */
export function guardOf(error: unknown): { code: string; message: string; confirmWith: string; affected: unknown } | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const d = error.detail as { confirmWith?: unknown; affected?: unknown } | undefined;
  if (!d || typeof d.confirmWith !== 'string') return null;
  return { code: error.code, message: error.message, confirmWith: d.confirmWith, affected: d.affected };
}

/** A failed call's error, routed: a guard (409 with a name to type) to the confirmation, anything else to the error panel. */
export function routeGuardError(error: unknown, onGuard: (g: NonNullable<ReturnType<typeof guardOf>>) => void, onError: (e: unknown) => void): void {
  const g = guardOf(error);
  if (g) onGuard(g);
  else onError(error);
}
