import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test as setup } from '@playwright/test';
import { AUTH_DIR, E2E_DATA_DIR, E2E_ROLES, stateOf, userOf } from './auth';

const REPO = path.resolve(import.meta.dirname, '..');

/** `npm run user -- ARGS` with `stdin`; throws with its output unless it exits 0 (or `tolerate` matches stderr). */
function user(args: string[], stdin: string, tolerate?: RegExp): boolean {
  const r = spawnSync('npm', ['run', '-s', 'user', '--', ...args], { cwd: REPO, input: stdin, encoding: 'utf8', timeout: 60_000, env: { ...process.env, KSC_DATA_DIR: E2E_DATA_DIR } });
  if (r.status === 0) return true;
  if (tolerate?.test(r.stderr)) return false;
  throw new Error(`npm run user -- ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
}

setup('sign in one user per role', async ({ playwright, baseURL }) => {
  setup.setTimeout(120_000);
  mkdirSync(AUTH_DIR, { recursive: true });
  const passwords: Record<string, string> = {};
  for (const role of E2E_ROLES) {
    const password = `e2e-${role}-${Math.random().toString(36).slice(2)}${Date.now()}`;
    passwords[role] = password;
    // A user from an earlier run keeps its grant; its password is set anew.
    if (!user(['add', userOf(role), '--role', role, '--password-stdin'], password, /already exists/)) user(['passwd', userOf(role), '--password-stdin'], password);
    const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
    const res = await ctx.post('/api/auth/login', { data: { username: userOf(role), password } });
    expect(res.status(), await res.text()).toBe(200);
    await ctx.storageState({ path: stateOf(role) });
    await ctx.dispose();
  }
  writeFileSync(path.join(AUTH_DIR, 'credentials.json'), JSON.stringify(passwords), { mode: 0o600 });
});
