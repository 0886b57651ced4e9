'use client';

/**
 * A wizard's step pills. The current step is filled; an earlier step you may go back to is
 * outlined and clickable; an earlier step that is locked (its work is done and cannot be redone
 * from here) carries a ✓; later steps are grey until reached.
 */
export function WizardSteps({ steps, step, canGoBack, onPick }: { steps: readonly string[]; step: number; canGoBack: (i: number) => boolean; onPick: (i: number) => void }) {
  return (
    <nav aria-label="Wizard steps" className="mb-4">
      <ol className="flex flex-wrap gap-2 text-sm">
        {steps.map((s, i) => {
          const back = i < step && canGoBack(i);
          const locked = i < step && !back;
          return (
            <li key={s}>
              <button
                type="button"
                aria-current={i === step ? 'step' : undefined}
                disabled={!back}
                onClick={() => onPick(i)}
                className={`rounded-full border px-3 py-1 ${i === step ? 'border-sky-700 bg-sky-700 text-white' : back ? 'border-sky-300 text-sky-800 hover:bg-sky-50 dark:text-sky-300' : locked ? 'border-emerald-300 text-emerald-800 dark:text-emerald-300' : 'border-zinc-300 text-zinc-500'}`}
              >
                {locked ? '✓ ' : ''}
                {i + 1}. {s}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
