'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { poolCreateStart, usePoolCreatePreview, usePools, usePoolTypes, useInvalidatePools } from '@/lib/api/pools';
import { useJobStream } from '@/lib/api/jobs';
import { pageHrefs } from '@/lib/api/paths';
import { ErrorPanel } from '@/components/ui/error-panel';
import { useDebounced } from '@/components/ui/use-debounced';
import { WizardSteps } from '@/components/ui/wizard-steps';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import { Button } from '@/components/ui/button';
import { emptyForm, stepOf, toBody, typeInfo, validate, type WizardForm } from './model';
import { PreviewPanel } from './preview-panel';
import { RunProgress, runFromJob, type RunState } from './run-progress';
import { StepReview } from './step-review';
import { StepSource } from './step-source';
import { StepTarget } from './step-target';
import { StepType } from './step-type';

const STEPS = ['Type', 'Source', 'Target & options', 'Review'] as const;

/** The pool-creation wizard: type → source → target & options → review (server dry run) → live run. */
export function PoolWizard({ hostId }: { hostId: string }) {
  const types = usePoolTypes(hostId);
  const pools = usePools(hostId);
  const invalidate = useInvalidatePools(hostId);
  const [form, setForm] = useState<WizardForm>(() => emptyForm());
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<number>(-1); // highest step whose errors are shown
  const [started, setStarted] = useState<RunState | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  // The steps arrive on the create job's event stream (server/jobs), like any job's progress.
  const job = useJobStream(jobId);
  const run = started && jobId && job ? runFromJob(started, job) : started;
  const ended = run?.phase === 'done' || run?.phase === 'failed';
  useEffect(() => {
    if (ended) invalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per end of a run
  }, [ended]);
  const setRun = (r: RunState | null) => {
    setStarted(r);
    setJobId(null);
  };
  const set = (p: Partial<WizardForm>) => {
    setForm((f) => ({ ...f, ...p }));
    if (run && run.phase !== 'running') setRun(null);
  };

  const existing = useMemo(() => (pools.data ?? []).map((p) => p.name), [pools.data]);
  const allErrors = validate(form, existing);
  const errors = Object.fromEntries(Object.entries(allErrors).filter(([k]) => stepOf(k) <= touched || stepOf(k) < step));
  const valid = Object.keys(allErrors).length === 0;

  // The preview never carries the CHAP password: the dry run only needs to know there is one.
  // The preview follows the form after a pause in typing; the typed overwrite confirmation is not
  // needed to see what would run.
  const body = toBody(form);
  const settled = useDebounced(form, 350);
  const settledBody = toBody(settled);
  const previewBody = settledBody.source?.auth?.secret ? { ...settledBody, source: { ...settledBody.source, auth: { ...settledBody.source.auth, secret: '(hidden)' } } } : settledBody;
  const previewable = Object.keys(validate({ ...settled, confirm: settled.name }, existing)).length === 0;
  const preview = usePoolCreatePreview(hostId, previewBody, previewable);
  const inSync = settled === form;

  if (types.isPending) return <Skeleton className="h-96 w-full" />;
  if (types.error) return <ErrorPanel title={`Could not read the pool types ${hostId} supports`} error={types.error} />;
  const cap = types.data.find((c) => c.type === form.type);

  function next() {
    setTouched(Math.max(touched, step));
    const blocking = Object.keys(allErrors).filter((k) => stepOf(k) <= step);
    if (blocking.length === 0) setStep(step + 1);
  }

  async function create() {
    if (!valid) return;
    // The plan shown while it runs: the latest preview if it matches the form, else the steps as they come.
    const planned = inSync && preview.data ? preview.data.steps : [];
    setRun({ phase: 'running', planned, steps: [] });
    try {
      const r = await poolCreateStart(hostId, body);
      setStarted({ phase: 'running', planned: planned.length ? planned : r.steps, steps: [] });
      setJobId(r.jobId);
    } catch (error) {
      setRun({ phase: 'refused', planned, steps: [], error });
      invalidate();
    }
  }

  const running = run?.phase === 'running';
  const finished = run?.phase === 'done';
  return (
    <>
      <PageHeader kicker={`New pool on ${hostId}`} title={form.name ? `New ${form.type} pool “${form.name}”` : 'New storage pool'}>
        <Link href={pageHrefs.host(hostId)} className="text-sky-700 hover:underline dark:text-sky-400">
          Back to {hostId}
        </Link>
      </PageHeader>
      <WizardSteps steps={STEPS} step={step} canGoBack={() => !running && !finished} onPick={setStep} />
      <div className={step === 3 ? '' : 'grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]'}>
        <form
          aria-label={`Step ${step + 1}: ${STEPS[step]}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (step < 3) next();
          }}
          className="min-w-0"
        >
          <h2 className="mb-3 text-base font-semibold">
            Step {step + 1} of 4: {STEPS[step]}
            {step > 0 && <span className="ml-2 text-sm font-normal text-zinc-500">({typeInfo(form.type).label})</span>}
          </h2>
          <fieldset disabled={running || finished} className="min-w-0">
            {step === 0 && <StepType form={form} set={set} errors={errors} caps={types.data} />}
            {step === 1 && <StepSource hostId={hostId} form={form} set={set} errors={errors} cap={cap} />}
            {step === 2 && <StepTarget hostId={hostId} form={form} set={set} errors={errors} />}
          </fieldset>
          {step === 3 && (
            <StepReview form={form} preview={preview.data} previewError={preview.error} errors={allErrors}>
              {run && <RunProgress hostId={hostId} name={form.name} run={run} />}
            </StepReview>
          )}
          <div className="mt-5 flex items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            {step > 0 && !finished && (
              <Button onClick={() => setStep(step - 1)} disabled={running}>
                Back
              </Button>
            )}
            {step < 3 && (
              <Button kind="primary" type="submit">
                Next
              </Button>
            )}
            {step === 3 && !finished && (
              <Button kind={body.overwrite ? 'danger' : 'primary'} onClick={create} disabled={!valid || running}>
                {running ? 'Creating…' : run?.phase === 'failed' || run?.phase === 'refused' ? 'Try again' : `Create pool ${form.name}`}
              </Button>
            )}
            {step < 3 && Object.keys(errors).length > 0 && <span className="text-sm text-red-700 dark:text-red-400">Fix the fields marked above to continue.</span>}
          </div>
        </form>
        {step < 3 && (
          <aside aria-label="Preview" className="min-w-0 lg:sticky lg:top-4 lg:self-start">
            <h2 className="mb-2 text-sm font-semibold">What will run</h2>
            <PreviewPanel
              preview={preview.data}
              error={previewable && inSync ? preview.error : null}
              stale={preview.isFetching || !inSync}
              blocked={Object.keys(validate({ ...form, confirm: form.name }, existing)).length === 0 ? undefined : 'The preview appears once the fields so far are valid.'}
            />
          </aside>
        )}
      </div>
    </>
  );
}
