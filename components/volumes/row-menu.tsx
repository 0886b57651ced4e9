'use client';

import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useGateFor } from '@/lib/api/me';
import { apiPaths, pageHrefs } from '@/lib/api/paths';
import type { VolumeDto } from '@/lib/schemas';
import { KEYLESS_OPS, OP_LABEL, opGate, VOLUME_OPS, type VolumeOp } from './volume-operations';

/**
 * A row's actions in the volume table: each opens the volume page with that operation's form
 * ready (its preview and guards are the page's), plus download. The menu is portalled to the body
 * at fixed coordinates: the virtual rows are transformed and the table scrolls, either of which
 * would clip or misplace it.
 */
export function RowMenu({ hostId, pool, v }: { hostId: string; pool: string; v: VolumeDto }) {
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();
  const gate = useGateFor(hostId);
  // The one rule (lib/api/me.ts gateOf): a viewer's menu has Open only; an operator's shows an admin's operations disabled, with the reason.
  const ops = (v.encryption ? KEYLESS_OPS : VOLUME_OPS).map((op: VolumeOp) => ({ op, gate: opGate(gate, op) })).filter((o) => o.gate.show);
  const download = gate('GET /api/hosts/[host]/pools/[pool]/volumes/[volume]/content');

  useEffect(() => {
    if (!at) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: Event) => {
      if (e.type === 'keydown' && (e as KeyboardEvent).key !== 'Escape') return;
      if (e.type === 'pointerdown' && (menu.current?.contains(e.target as Node) || button.current?.contains(e.target as Node))) return;
      setAt(null);
      if (e.type === 'keydown') button.current?.focus();
    };
    const scroll = () => setAt(null);
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    window.addEventListener('scroll', scroll, true);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
      window.removeEventListener('scroll', scroll, true);
    };
  }, [at]);

  function toggle() {
    if (at) return setAt(null);
    const r = button.current?.getBoundingClientRect();
    if (r) setAt({ top: Math.min(r.bottom + 2, window.innerHeight - 330), right: window.innerWidth - r.right });
  }

  function onMenuKey(e: React.KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  }

  const page = pageHrefs.volume(hostId, pool, v.name);
  const item = 'block w-full px-3 py-1.5 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800';
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label={`Actions for ${v.name}`}
        aria-haspopup="menu"
        aria-expanded={at !== null}
        aria-controls={at ? id : undefined}
        onClick={toggle}
        tabIndex={-1}
        className="rounded px-1.5 text-base leading-none text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
      >
        ⋯
      </button>
      {at &&
        createPortal(
          <div
            ref={menu}
            id={id}
            role="menu"
            aria-label={`Actions for ${v.name}`}
            onKeyDown={onMenuKey}
            className="fixed z-50 w-48 overflow-hidden rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
            style={{ top: at.top, right: at.right }}
          >
            <Link role="menuitem" href={page} className={item}>
              Open
            </Link>
            {ops.map(({ op, gate: g }) =>
              g.disabled ? (
                <span key={op} role="menuitem" aria-disabled="true" tabIndex={-1} title={g.why ?? undefined} className={`${item} cursor-not-allowed text-zinc-400 dark:text-zinc-500`}>
                  {OP_LABEL[op]}…
                </span>
              ) : (
                <Link key={op} role="menuitem" href={`${page}?op=${op}`} className={`${item} ${op === 'wipe' || op === 'delete' ? 'text-red-800 dark:text-red-300' : ''}`}>
                  {OP_LABEL[op]}…
                </Link>
              ),
            )}
            {download.show && !download.disabled && (
              <a role="menuitem" href={`${apiPaths.volume(hostId, pool, v.name)}/content`} download={v.name} className={item}>
                Download
              </a>
            )}
          </div>,
          document.body,
        )}
    </>
  );
}
