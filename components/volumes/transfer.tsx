'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import { useGate } from '@/lib/api/me';
import { apiPaths } from '@/lib/api/paths';
import { formatBytes } from '@/lib/format';
import { formCls as f } from './form-cls';
import { UPLOAD_HEADER } from '@/lib/api/request-headers';

const CONTENT = '/api/hosts/[host]/pools/[pool]/volumes/[volume]/content';

/**
 * Upload a file into a new volume of the pool: the browser streams it (XMLHttpRequest, for
 * upload progress and abort) to `PUT …/content`, which pipes it into `virsh vol-upload`.
 */
export function UploadButton({ hostId, pool }: { hostId: string; pool: string }) {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  const [state, setState] = useState<{ name: string; sent: number; total: number; status: 'sending' | 'done' | 'failed' | 'aborted'; message?: string } | null>(null);
  const gate = useGate(hostId, `PUT ${CONTENT}`);

  function start(file: File) {
    const req = new XMLHttpRequest();
    xhr.current = req;
    setState({ name: file.name, sent: 0, total: file.size, status: 'sending' });
    req.upload.onprogress = (e) => setState((s) => (s ? { ...s, sent: e.loaded } : s));
    req.onload = () => {
      let message = '';
      try {
        const body = JSON.parse(req.responseText) as { error?: { message?: string }; state?: string };
        message = body.error?.message ?? body.state ?? '';
      } catch {
        /* not JSON */
      }
      setState((s) => (s ? { ...s, sent: s.total, status: req.status < 300 ? 'done' : 'failed', message } : s));
      void qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) });
      void qc.invalidateQueries({ queryKey: jobKeys.all });
    };
    req.onerror = () => setState((s) => (s ? { ...s, status: 'failed', message: 'the connection failed' } : s));
    req.onabort = () => setState((s) => (s ? { ...s, status: 'aborted' } : s));
    req.open('PUT', `${apiPaths.volume(hostId, pool, file.name)}/content`);
    req.setRequestHeader('content-type', 'application/octet-stream');
    req.setRequestHeader(UPLOAD_HEADER, '1');
    req.send(file);
  }

  const pct = state && state.total ? (state.sent / state.total) * 100 : 0;
  if (!gate.show) return null;
  return (
    <span className="flex items-center gap-2">
      <input ref={input} type="file" className="sr-only" aria-label="File to upload" onChange={(e) => e.target.files?.[0] && start(e.target.files[0])} />
      <button type="button" className={f.button} onClick={() => input.current?.click()} disabled={gate.disabled || state?.status === 'sending'} title={gate.why ?? undefined}>
        Upload…
      </button>
      {state && (
        <span className="flex items-center gap-2 text-xs" role="status">
          <span className="max-w-40 truncate">{state.name}</span>
          <progress max={100} value={pct} aria-label={`Upload of ${state.name}`} className="h-2 w-28" />
          <span className="tabular-nums">
            {formatBytes(state.sent)} / {formatBytes(state.total)} {state.status !== 'sending' && `— ${state.status}${state.message ? `: ${state.message}` : ''}`}
          </span>
          {state.status === 'sending' && (
            <button type="button" className="text-red-700 underline" onClick={() => xhr.current?.abort()}>
              Abort
            </button>
          )}
        </span>
      )}
    </span>
  );
}

/** A plain link: the browser streams `GET …/content` (virsh vol-download) to a file. */
export function DownloadLink({ hostId, pool, vol }: { hostId: string; pool: string; vol: string }) {
  // A volume's contents are not a viewer's to take.
  const gate = useGate(hostId, `GET ${CONTENT}`);
  if (!gate.show) return null;
  if (gate.disabled)
    return (
      <button type="button" className={f.button} disabled title={gate.why ?? undefined}>
        Download
      </button>
    );
  return (
    <a href={`${apiPaths.volume(hostId, pool, vol)}/content`} download={vol} className={f.button}>
      Download
    </a>
  );
}
