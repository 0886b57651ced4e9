import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { PlannedStep, PoolCreateInput, PoolDto, PoolSource } from '@/lib/schemas';
import { getJson, sendJson } from './errors';
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

export { StepDto } from '@/lib/schemas';
export const PoolCreateDryRun = z.object({ dryRun: z.literal(true), xml: z.string(), steps: z.array(PlannedStep) });
export type PoolCreateDryRun = z.infer<typeof PoolCreateDryRun>;
/** The answer of a create started with `Prefer: respond-async`: the job whose events carry the steps. */
export const PoolCreateStarted = z.object({ dryRun: z.literal(false), jobId: z.string(), xml: z.string(), steps: z.array(PlannedStep) });
export type PoolCreateStarted = z.infer<typeof PoolCreateStarted>;

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
 * Start a pool create: 202 with the job id at once (`Prefer: respond-async`); the steps' results
 * arrive on the job's event stream (`useJobStream`). A refusal before any step runs throws ApiError.
 */
export const poolCreateStart = (h: string, body: PoolCreateInputRaw) =>
  sendJson('POST', apiPaths.pools(h), { ...body, dryRun: false }, PoolCreateStarted, { prefer: 'respond-async' });

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
