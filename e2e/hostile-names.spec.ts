import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { quiet, virsh } from '../test/helpers/virsh';

/**
 * Every request value is hostile. Two sweeps over the real API (through `next start` and its
 * request gate, against the lab):
 * 1. every route file × every exported method × every dynamic segment, with that one segment set
 *    to a name Object.prototype answers to, must answer 404 — generated from app/api, so a new
 *    route is covered without editing this file;
 * 2. every GET answer, crawled from /api/hosts down to each volume, VM and job, must carry no key
 *    material and no secret value (a LUKS passphrase set through the API for this test).
 */
const POOL = 'ksc-x-names';
const DIR = `/var/lib/libvirt/images/${POOL}`;
const VOL = 'plain.qcow2';
const LUKS = 'locked.qcow2';
const PASSPHRASE = `never-shown-${Date.now()}-passphrase`;
const HOSTILE = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const API = path.resolve(import.meta.dirname, '../app/api');

function dropPool() {
  quiet('pool-destroy', POOL);
  quiet('pool-undefine', POOL);
  for (const line of virsh('secret-list').split('\n')) {
    const m = /^\s*([0-9a-f-]{36})\s+volume (\S+)/.exec(line);
    if (m && m[2]!.startsWith(`${DIR}/`)) quiet('secret-undefine', m[1]!);
  }
  rmSync(DIR, { recursive: true, force: true });
}

interface Route {
  file: string;
  segments: string[]; // URL segments, dynamic ones as [name]
  methods: string[];
}

/** Every app/api/**\/route.ts with the HTTP methods it exports. */
function routes(dir = API, prefix: string[] = []): Route[] {
  const out: Route[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...routes(full, [...prefix, name]));
    else if (name === 'route.ts') {
      const text = readFileSync(full, 'utf8');
      const methods = new Set<string>();
      for (const m of text.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      for (const m of text.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      // `export const { GET, POST } = api('…', …)` (server/route.ts): the usual form
      for (const m of text.matchAll(/export\s+const\s+\{([^}]*)\}\s*=\s*api\(/g))
        for (const name of m[1]!.split(',').map((s) => s.trim())) if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) methods.add(name);
      out.push({ file: path.relative(API, full), segments: prefix, methods: [...methods] });
    }
  }
  return out;
}

let origin = '';
const write = () => ({ origin, 'content-type': 'application/json' });
const call = (request: APIRequestContext, method: string, url: string) =>
  method === 'PUT' && url.endsWith('/content')
    ? request.fetch(url, { method, headers: { origin, 'content-type': 'application/octet-stream', 'x-ksc-upload': '1' }, data: Buffer.alloc(0), timeout: 60_000 })
    : request.fetch(url, { method, headers: { ...(method === 'GET' ? {} : write()), 'x-ksc-client': '1' }, ...(method === 'GET' ? {} : { data: {} }), timeout: 60_000 });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL, request }) => {
  origin = new URL(baseURL!).origin;
  dropPool();
  mkdirSync(DIR, { recursive: true });
  virsh('pool-define-as', POOL, 'dir', '--target', DIR);
  virsh('pool-start', POOL);
  virsh('vol-create-as', POOL, VOL, '16M', '--format', 'qcow2');
  const r = await request.post(`/api/hosts/lab/pools/${POOL}/volumes`, {
    headers: write(),
    data: { name: LUKS, capacity: '16M', format: 'qcow2', encryption: { passphrase: PASSPHRASE } },
  });
  expect(r.status(), await r.text()).toBeLessThan(300);
});

test.afterAll(() => dropPool());

test('every route × method × dynamic segment answers 404 to Object.prototype names', async ({ request }) => {
  test.setTimeout(600_000);
  const all = routes();
  expect(all.length).toBeGreaterThan(30);
  const vm = 'vm002';
  const target = /<target dev='([^']+)'/.exec(virsh('dumpxml', vm))?.[1] ?? 'vda';
  // Real values for the other segments, so the hostile one is the only thing that can miss.
  const real: Record<string, string> = { host: 'lab', pool: POOL, volume: VOL, vm, target, name: 'no-such-snapshot', snapshot: 'no-such-snapshot', job: 'no-such-job', '...path': 'x' };
  const wrong: string[] = [];
  let calls = 0;
  for (const r of all) {
    const dynamic = r.segments.filter((s) => s.startsWith('['));
    for (const seg of dynamic) {
      const key = seg.slice(1, -1);
      for (const method of r.methods) {
        // The upload's {volume} names a volume to create: `toString` is a valid new libvirt name.
        if (r.file.endsWith('content/route.ts') && method === 'PUT' && key === 'volume') continue;
        for (const bad of HOSTILE) {
          const url =
            '/api/' +
            r.segments
              .map((s) => {
                if (s === seg) return encodeURIComponent(bad);
                if (!s.startsWith('[')) return s;
                const k = s.slice(1, -1);
                // A static-looking choice for the verb segments: read-only ones where there is a choice.
                if (k === 'action') return r.file.includes('vmdk') ? 'compare' : 'refresh';
                if (k === 'op') return method === 'GET' ? 'info' : 'check';
                return encodeURIComponent(real[k] ?? 'x');
              })
              .join('/');
          const res = await call(request, method, url);
          calls++;
          const body = await res.text();
          if (res.status() !== 404) wrong.push(`${method} ${r.file} [${key}] → ${res.status()} ${body.slice(0, 120)}`);
          expect(body).not.toMatch(/PRIVATE KEY|privateKey/);
        }
      }
    }
  }
  expect(wrong, wrong.join('\n')).toEqual([]);
  expect(calls).toBeGreaterThan(300);
  // The canary objects are untouched.
  expect(virsh('vol-list', POOL)).toContain(VOL);
});

test('no GET answer carries key material or a secret value', async ({ request }) => {
  test.setTimeout(600_000);
  const bodies = new Map<string, string>();
  const get = async (url: string) => {
    const res = await request.get(url, { headers: { 'x-ksc-client': '1' }, timeout: 120_000 });
    const text = await res.text();
    bodies.set(url, text);
    return res.ok() ? (JSON.parse(text) as unknown) : null;
  };
  const hosts = (await get('/api/hosts')) as Array<{ id: string; status: string }>;
  expect(hosts.map((h) => h.id)).toContain('lab');
  for (const h of hosts) {
    const base = `/api/hosts/${encodeURIComponent(h.id)}`;
    await get(base);
    for (const sub of ['chains', 'pool-types', 'block-devices']) await get(`${base}/${sub}`);
    const pools = ((await get(`${base}/pools`)) ?? []) as Array<{ name: string }>;
    for (const p of pools) {
      const pb = `${base}/pools/${encodeURIComponent(p.name)}`;
      await get(pb);
      await get(`${pb}/xml`);
      await get(`${pb}/volume-formats`);
      const vols = ((await get(`${pb}/volumes`)) ?? []) as Array<{ name: string }>;
      for (const v of vols.slice(0, 20)) {
        const vb = `${pb}/volumes/${encodeURIComponent(v.name)}`;
        await get(vb);
        await get(`${vb}/info`);
        await get(`${vb}/snapshots`);
      }
    }
    const vms = ((await get(`${base}/domains`)) ?? []) as Array<{ name: string }>;
    for (const d of vms) {
      const db = `${base}/domains/${encodeURIComponent(d.name)}`;
      await get(db);
      await get(`${db}/snapshots`);
    }
  }
  const jobs = ((await get('/api/jobs?limit=500')) ?? []) as Array<{ id: string }> | { jobs: Array<{ id: string }> };
  for (const j of Array.isArray(jobs) ? jobs : jobs.jobs) await get(`/api/jobs/${j.id}`);

  expect(bodies.size).toBeGreaterThan(40);
  // The crawl saw the encrypted volume, so a leak would have been in reach.
  expect([...bodies.values()].some((b) => b.includes(LUKS))).toBe(true);
  for (const [url, body] of bodies) {
    expect(body, url).not.toContain('PRIVATE KEY');
    expect(body, url).not.toContain('privateKey');
    expect(body, url).not.toContain(PASSPHRASE);
  }
});
