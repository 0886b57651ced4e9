import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiErrorBody, PoolCreateInput, PoolDto, PoolSource } from '@/lib/schemas';
import { ApiError, getJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const PoolWithXml = z.object({ pool: PoolDto, xml: z.string() });
export type PoolWithXml = z.infer<typeof PoolWithXml>;

export const fetchPools = (hostId: string, signal?: AbortSignal) => getJson(apiPaths.pools(hostId), z.array(PoolDto), signal);
export const fetchPool = (hostId: string, pool: string, signal?: AbortSignal) =>
  getJson(apiPaths.pool(hostId, pool), PoolWithXml, signal);

export const poolsQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.pools(hostId), queryFn: ({ signal }) => fetchPools(hostId, signal) });

export const poolQuery = (hostId: string, pool: string) =>
  queryOptions({ queryKey: hostKeys.poolInfo(hostId, pool), queryFn: ({ signal }) => fetchPool(hostId, pool, signal) });

export const usePools = (hostId: string, opts: { enabled?: boolean } = {}) =>
  useQuery({ ...poolsQuery(hostId), enabled: opts.enabled ?? true });
export const usePool = (hostId: string, pool: string) => useQuery(poolQuery(hostId, pool));

// ---- The pool write side: wizard, lifecycle, XML edit (POST/PUT/DELETE) ----

const e = encodeURIComponent;
export const poolApiPaths = {
  types: (h: string) => `/api/hosts/${e(h)}/pool-types`,
  sources: (h: string, type: string, q: { host?: string; port?: string; initiator?: string } = {}) =>
    `/api/hosts/${e(h)}/pool-sources?type=${e(type)}${Object.entries(q)
      .filter(([, v]) => v)
      .map(([k, v]) => `&${k}=${e(v ?? '')}`)
      .join('')}`,
  blockDevices: (h: string) => `/api/hosts/${e(h)}/block-devices`,
  action: (h: string, p: string, action: PoolAction) => `/api/hosts/${e(h)}/pools/${e(p)}/${action}`,
  autostart: (h: string, p: string) => `/api/hosts/${e(h)}/pools/${e(p)}/autostart`,
  xml: (h: string, p: string) => `/api/hosts/${e(h)}/pools/${e(p)}/xml`,
};
export const newPoolHref = (h: string) => `/hosts/${e(h)}/new-pool`;

export type PoolAction = 'start' | 'stop' | 'refresh' | 'build';

export const PoolTypeCapability = z.object({
  type: z.string(),
  supported: z.boolean(),
  defaultPoolFormat: z.string().nullable(),
  poolFormats: z.array(z.string()),
  defaultVolumeFormat: z.string().nullable(),
  volumeFormats: z.array(z.string()),
});
export type PoolTypeCapability = z.infer<typeof PoolTypeCapability>;

export const PoolSourcesDto = z.object({ command: z.string(), sources: z.array(PoolSource) });
export type PoolSourcesDto = z.infer<typeof PoolSourcesDto>;

/** `lsblk --json --bytes --paths` — children nest (partitions under disks, LVs under PVs). */
export interface BlockDevice {
  name: string;
  size: number | null;
  type: string;
  fstype: string | null;
  mountpoint: string | null;
  label: string | null;
  model: string | null;
  children?: BlockDevice[];
}
const BlockDeviceSchema: z.ZodType<BlockDevice> = z.lazy(() =>
  z.object({
    name: z.string(),
    size: z.coerce.number().nullable(),
    type: z.string(),
    fstype: z.string().nullable().default(null),
    mountpoint: z.string().nullable().default(null),
    label: z.string().nullable().default(null),
    model: z.string().nullable().default(null),
    children: z.array(BlockDeviceSchema).optional(),
  }),
) as z.ZodType<BlockDevice>;
const BlockDevicesDto = z.object({ blockdevices: z.array(BlockDeviceSchema) });

export const StepDto = z.object({
  id: z.string(),
  title: z.string(),
  command: z.string(),
  stdin: z.string().optional(),
  ok: z.boolean().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
});
export type StepDto = z.infer<typeof StepDto>;
export const PoolCreateDryRun = z.object({ dryRun: z.literal(true), xml: z.string(), steps: z.array(StepDto) });
export type PoolCreateDryRun = z.infer<typeof PoolCreateDryRun>;
export const PoolCreateResult = z.object({ dryRun: z.literal(false), ok: z.boolean(), xml: z.string(), steps: z.array(StepDto), rolledBack: z.boolean() });
export type PoolCreateResult = z.infer<typeof PoolCreateResult>;

export const ActionResultDto = z.object({ command: z.string(), output: z.string() });
export type ActionResultDto = z.infer<typeof ActionResultDto>;

export const PoolXmlDto = z.object({
  command: z.string(),
  xml: z.string(),
  inactiveCommand: z.string().nullable(),
  inactiveXml: z.string().nullable(),
  state: z.string(),
});
export type PoolXmlDto = z.infer<typeof PoolXmlDto>;
export const PoolXmlPutDto = z.object({
  dryRun: z.boolean(),
  command: z.string(),
  output: z.string().optional(),
  restartNeeded: z.boolean(),
  note: z.string(),
});
export type PoolXmlPutDto = z.infer<typeof PoolXmlPutDto>;

/** Send JSON and check the answer like getJson does; errors become ApiError with code and detail. */
export async function sendJson<S extends z.ZodType>(method: string, url: string, body: unknown, schema: S): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch (err) {
    throw new ApiError('network', `Could not reach the console server (${(err as Error).message})`, { detail: { url } });
  }
  return readAnswer(res, url, schema);
}

async function readAnswer<S extends z.ZodType>(res: Response, url: string, schema: S): Promise<z.output<S>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError('bad-response', `The server answered ${res.status} with something that is not JSON`, { status: res.status, detail: { url, body: text.slice(0, 2000) } });
  }
  if (!res.ok) throw toApiError(body, res.status, url);
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError('contract', `The server's answer for ${url} does not match the API contract`, { status: res.status, detail: { url, issues: parsed.error.issues.slice(0, 20) } });
  return parsed.data;
}

function toApiError(body: unknown, status: number, url: string): ApiError {
  const parsed = ApiErrorBody.safeParse((body as { error?: unknown } | undefined)?.error);
  if (parsed.success) return new ApiError(parsed.data.code, parsed.data.message, { status, detail: parsed.data.detail });
  return new ApiError('http', `The server answered ${status}`, { status, detail: { url } });
}

export const fetchPoolTypes = (h: string, signal?: AbortSignal) => getJson(poolApiPaths.types(h), z.array(PoolTypeCapability), signal);
export const fetchPoolSources = (h: string, type: string, q: { host?: string; port?: string; initiator?: string } = {}, signal?: AbortSignal) =>
  getJson(poolApiPaths.sources(h, type, q), PoolSourcesDto, signal);
export const fetchBlockDevices = (h: string, signal?: AbortSignal) => getJson(poolApiPaths.blockDevices(h), BlockDevicesDto, signal);
export const fetchPoolXml = (h: string, p: string, signal?: AbortSignal) => getJson(poolApiPaths.xml(h, p), PoolXmlDto, signal);

export const usePoolTypes = (h: string) =>
  useQuery({ queryKey: [...hostKeys.detail(h), 'pool-types'], queryFn: ({ signal }) => fetchPoolTypes(h, signal), staleTime: 300_000 });
export const useBlockDevices = (h: string, enabled: boolean) =>
  useQuery({ queryKey: [...hostKeys.detail(h), 'block-devices'], queryFn: ({ signal }) => fetchBlockDevices(h, signal), enabled });
export const usePoolXml = (h: string, p: string, enabled: boolean) =>
  useQuery({ queryKey: [...hostKeys.pool(h, p), 'xml'], queryFn: ({ signal }) => fetchPoolXml(h, p, signal), enabled });

export const poolCreateDryRun = (h: string, body: PoolCreateInputRaw) => sendJson('POST', apiPaths.pools(h), { ...body, dryRun: true }, PoolCreateDryRun);

/** What the wizard sends (the schema's input type: defaults may be left out). */
export type PoolCreateInputRaw = z.input<typeof PoolCreateInput>;

/**
 * Create a pool with live progress: the server streams one line per finished step (NDJSON).
 * A refusal before any step runs throws ApiError; a failed step comes back as `ok: false`.
 */
export async function poolCreateStreaming(h: string, body: PoolCreateInputRaw, onStep: (s: StepDto) => void): Promise<PoolCreateResult> {
  const url = apiPaths.pools(h);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' }, body: JSON.stringify({ ...body, dryRun: false }) });
  } catch (err) {
    throw new ApiError('network', `Could not reach the console server (${(err as Error).message})`, { detail: { url } });
  }
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').includes('ndjson')) return readAnswer(res, url, PoolCreateResult);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as { step?: unknown; result?: unknown; error?: unknown };
      if (msg.step) onStep(StepDto.parse(msg.step));
      else if (msg.result) return PoolCreateResult.parse(msg.result);
      else if (msg.error) throw toApiError(msg, 500, url);
    }
    if (done) break;
  }
  throw new ApiError('bad-response', 'The server closed the progress stream before the result', { detail: { url } });
}

/**
 * Mutations invalidate the host (its summary counts), so every pool list and page refreshes.
 * Not awaited by the mutation: a re-read of a busy host takes seconds, and the action is done.
 */
function useInvalidateHost(h: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: hostKeys.detail(h) });
    void qc.invalidateQueries({ queryKey: hostKeys.list() });
  };
}

export function usePoolAction(h: string) {
  const done = useInvalidateHost(h);
  return useMutation({
    mutationFn: ({ pool, action }: { pool: string; action: PoolAction }) => sendJson('POST', poolApiPaths.action(h, pool, action), {}, ActionResultDto),
    onSettled: done,
  });
}

export function usePoolAutostart(h: string) {
  const done = useInvalidateHost(h);
  return useMutation({
    mutationFn: ({ pool, enabled }: { pool: string; enabled: boolean }) => sendJson('PUT', poolApiPaths.autostart(h, pool), { enabled }, ActionResultDto),
    onSettled: done,
  });
}

export function usePoolDelete(h: string) {
  const done = useInvalidateHost(h);
  return useMutation({
    mutationFn: ({ pool, deleteStorage, confirm }: { pool: string; deleteStorage: boolean; confirm?: string }) =>
      sendJson('DELETE', apiPaths.pool(h, pool), { deleteStorage, confirm }, z.object({ steps: z.array(ActionResultDto) })),
    onSettled: done,
  });
}

export function usePoolXmlPut(h: string, pool: string) {
  const done = useInvalidateHost(h);
  return useMutation({
    mutationFn: ({ xml, dryRun }: { xml: string; dryRun: boolean }) => sendJson('PUT', poolApiPaths.xml(h, pool), { xml, dryRun }, PoolXmlPutDto),
    onSettled: (_d, _e, v) => {
      if (!v.dryRun) done();
    },
  });
}

export const useInvalidatePools = useInvalidateHost;

// Previews: the server renders the exact command text without running anything.
const CommandPreview = z.object({ dryRun: z.literal(true), command: z.string() });
export const PoolDeletePreview = z.object({
  dryRun: z.literal(true),
  commands: z.array(z.string()),
  volumes: z.array(z.string()),
  inUse: z.array(z.object({ volume: z.string(), usedBy: z.array(z.string()) })),
  targetPath: z.string().nullable(),
  type: z.string(),
});
export type PoolDeletePreview = z.infer<typeof PoolDeletePreview>;

export const previewPoolAction = (h: string, pool: string, action: PoolAction) =>
  sendJson('POST', poolApiPaths.action(h, pool, action), { dryRun: true }, CommandPreview);
export const previewPoolAutostart = (h: string, pool: string, enabled: boolean) =>
  sendJson('PUT', poolApiPaths.autostart(h, pool), { enabled, dryRun: true }, CommandPreview);
export const previewPoolDelete = (h: string, pool: string, deleteStorage: boolean) =>
  sendJson('DELETE', apiPaths.pool(h, pool), { deleteStorage, dryRun: true }, PoolDeletePreview);

/** The wizard's live preview: the server's dry run of the current form (XML and exact commands). */
export const usePoolCreatePreview = (h: string, body: PoolCreateInputRaw, enabled: boolean) =>
  useQuery({
    queryKey: [...hostKeys.pools(h), 'create-preview', JSON.stringify(body)],
    queryFn: () => poolCreateDryRun(h, body),
    enabled,
    staleTime: 60_000,
    retry: false,
    placeholderData: (prev) => prev,
  });
