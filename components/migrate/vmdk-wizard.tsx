'use client';

import { isFilePool } from '@/lib/pool-types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import { pageHrefs } from '@/lib/api/paths';
import { usePools } from '@/lib/api/pools';
import { useVmdkInspect, vmdkConvert } from '@/lib/api/vmdk-migration';
import type { JobDto } from '@/lib/schemas';
import { qcow2NameFor } from '@/lib/vmdk-names';
import { ErrorPanel } from '@/components/ui/error-panel';
import { useDebounced } from '@/components/ui/use-debounced';
import { WizardSteps } from '@/components/ui/wizard-steps';
import { PageHeader } from '@/components/ui/page-header';
import { replaceSearchParams } from '@/components/ui/url-state';
import { Button } from '@/components/ui/button';
import { FinishStep, RunStep, VerifyStep, type Target } from './result-steps';
import { SourceStep, type Source } from './source-step';
import { convertBody, TargetStep, type TargetForm } from './target-step';

const STEPS = ['Source', 'Target', 'Convert', 'Verify', 'Finish'] as const;

/**
 * The guided VMware → KVM disk migration (seed §3.4): pick or upload the vmdk and see what it is,
 * choose where the qcow2 goes (with a space check and the exact command), convert as a job with
 * live progress, verify with qemu-img compare, then attach it to a VM and optionally delete the source.
 */
export function VmdkWizard({ hostId, initial }: { hostId: string; initial: Source | null }) {
  const qc = useQueryClient();
  const pools = usePools(hostId);
  const [source, setSource] = useState<Source | null>(initial);
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<TargetForm>({ pool: initial?.pool ?? '', name: initial ? qcow2NameFor(initial.name) : '', compress: false, clusterSize: '64K', compat: '1.1', lazyRefcounts: false });
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<JobDto | null>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const inspect = useVmdkInspect(hostId, source?.pool ?? null, source?.name ?? null);

  // The target pool defaults to the source's when that is a file pool, else the first file pool.
  const filePools = (pools.data ?? []).filter((p) => p.state === 'running' && isFilePool(p.type));
  const pool = form.pool || filePools[0]?.name || '';
  const body = convertBody({ ...form, pool });
  const settled = useDebounced(JSON.stringify(body), 300);
  const previewEnabled = step === 1 && Boolean(source && inspect.data?.ok && form.name.trim() && pool);
  const preview = useQuery({
    queryKey: ['vmdk-convert-preview', hostId, source?.pool, source?.name, settled],
    queryFn: () => vmdkConvert(hostId, source!.pool, source!.name, { ...(JSON.parse(settled) as object), dryRun: true }),
    enabled: previewEnabled,
    retry: false,
    staleTime: 2_000,
  });

  function pick(s: Source) {
    setSource(s);
    setForm((f) => ({ ...f, name: qcow2NameFor(s.name), pool: filePools.some((p) => p.name === s.pool) ? s.pool : f.pool }));
    replaceSearchParams({ pool: s.pool, vol: s.name });
  }

  async function start() {
    if (!source) return;
    setStarting(true);
    setStartError(null);
    try {
      const r = await vmdkConvert(hostId, source.pool, source.name, body);
      setJobId(r.jobId ?? null);
      setJob(null);
      setTarget({ pool, name: form.name, path: r.destination });
      setStep(2);
      void qc.invalidateQueries({ queryKey: jobKeys.all });
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  }

  function onJobDone(j: JobDto) {
    setJob(j);
    void qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) });
  }

  const started = jobId !== null;
  const succeeded = job?.state === 'succeeded';
  const reachable = (i: number) => (started ? i >= 2 && (i === 2 || succeeded) : i <= 1 && (i === 0 || Boolean(inspect.data?.ok)));
  const identical = (qc.getQueryData(['vmdk-compare', hostId, source?.pool, source?.name, target?.pool, target?.name]) as { identical: boolean } | undefined)?.identical ?? null;

  return (
    <>
      <PageHeader kicker={`Migrate from VMware on ${hostId}`} title={source ? `${source.name} → qcow2` : 'VMware disk (vmdk) → qcow2'}>
        <span>Export the disk from VMware (OVF/OVA or the datastore’s .vmdk files), put it on the host, convert, verify, attach.</span>
        <Link href={pageHrefs.host(hostId)} className="text-sky-700 hover:underline dark:text-sky-400">
          Back to {hostId}
        </Link>
      </PageHeader>
      <WizardSteps steps={STEPS} step={step} canGoBack={reachable} onPick={setStep} />
      <section aria-label={`Step ${step + 1}: ${STEPS[step]}`} className="min-w-0">
        <h2 className="mb-3 text-base font-semibold">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {step === 0 && <SourceStep hostId={hostId} source={source} onPick={pick} inspect={inspect} />}
        {step === 1 && inspect.data && <TargetStep hostId={hostId} form={{ ...form, pool }} set={(p) => setForm((f) => ({ ...f, ...p }))} source={inspect.data} preview={{ data: preview.data, error: previewEnabled ? preview.error : null, stale: preview.isFetching || settled !== JSON.stringify(body) }} />}
        {step === 2 && jobId && <RunStep jobId={jobId} onDone={onJobDone} />}
        {step === 3 && source && target && inspect.data && <VerifyStep hostId={hostId} source={source} inspect={inspect.data} target={target} />}
        {step === 4 && source && target && inspect.data && <FinishStep hostId={hostId} source={source} inspect={inspect.data} target={target} identical={identical} />}
        {startError != null && step === 1 && <div className="mt-3"><ErrorPanel title="The conversion did not start" error={startError} /></div>}
        <div className="mt-5 flex items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {step === 1 && <Button onClick={() => setStep(0)}>Back</Button>}
          {step === 0 && (
            <Button kind="primary" onClick={() => setStep(1)} disabled={!inspect.data?.ok || inspect.isFetching}>
              Next
            </Button>
          )}
          {step === 0 && source && inspect.data && !inspect.data.ok && <span className="text-sm text-red-700 dark:text-red-400">This disk cannot be migrated: see the reasons above.</span>}
          {step === 1 && (
            <Button kind="primary" onClick={start} disabled={starting || !preview.data || Boolean(preview.error) || preview.isFetching}>
              {starting ? 'Starting…' : 'Start conversion'}
            </Button>
          )}
          {step === 2 && job && !succeeded && (
            <Button
              onClick={() => {
                setJobId(null);
                setJob(null);
                setStep(1);
              }}
            >
              Back to the target ({job.state})
            </Button>
          )}
          {step === 2 && succeeded && (
            <Button kind="primary" onClick={() => setStep(3)}>
              Next: verify
            </Button>
          )}
          {step === 3 && (
            <Button kind="primary" onClick={() => setStep(4)}>
              Next: finish
            </Button>
          )}
        </div>
      </section>
    </>
  );
}
