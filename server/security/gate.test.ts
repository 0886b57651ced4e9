import { describe, expect, it } from 'vitest';
import { checkRequest, contentSecurityPolicy, gateConfigFromEnv, securityHeaders } from './gate';

const cfg = gateConfigFromEnv({ PORT: '3000', NODE_ENV: 'production' });
const req = (method: string, pathname: string, headers: Record<string, string>) => ({ method, pathname, headers: new Headers(headers) });
const own = { host: '127.0.0.1:3000' };
const write = { ...own, origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };

describe('request gate: Host allowlist', () => {
  it('serves loopback names at the console port', () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'LOCALHOST:3000'])
      expect(checkRequest(req('GET', '/', { host }), cfg)).toEqual({ ok: true });
  });
  it('refuses a rebound or unknown Host with 421 bad-host, pages and API alike', () => {
    for (const host of ['evil.example:3000', 'evil.example', '127.0.0.1:3001', '127.0.0.1', '', 'localhost.evil.example:3000', '127.0.0.1:3000@evil'])
      for (const path of ['/', '/api/hosts'])
        expect(checkRequest(req('GET', path, { host }), cfg)).toMatchObject({ ok: false, status: 421, code: 'bad-host' });
  });
  it('KSC_ALLOWED_HOSTS replaces the loopback default; KSC_PUBLIC_URL adds its host and origin', () => {
    const c = gateConfigFromEnv({ PORT: '3000', KSC_ALLOWED_HOSTS: 'console.lan:3000, kvm.example', KSC_PUBLIC_URL: 'https://kvm.example' });
    expect([...c.allowedHosts].sort()).toEqual(['console.lan:3000', 'kvm.example:3000', 'kvm.example:443']);
    expect(checkRequest(req('GET', '/', { host: 'kvm.example' }), c)).toMatchObject({ ok: false, code: 'bad-host' }); // port 80 ≠ 443
    expect(checkRequest(req('POST', '/api/x', { host: 'kvm.example:443', origin: 'https://kvm.example', 'content-type': 'application/json' }), c)).toEqual({ ok: true });
    expect(checkRequest(req('GET', '/', { host: '127.0.0.1:3000' }), c)).toMatchObject({ ok: false, code: 'bad-host' });
    expect(() => gateConfigFromEnv({ KSC_ALLOWED_HOSTS: 'a b' })).toThrow(/KSC_ALLOWED_HOSTS/);
  });
});

describe('request gate: writes only from the console itself', () => {
  it('accepts a same-origin JSON write', () => {
    expect(checkRequest(req('POST', '/api/hosts/lab/pools/default/refresh', write), cfg)).toEqual({ ok: true });
    expect(checkRequest(req('DELETE', '/api/hosts/lab/pools/default', write), cfg)).toEqual({ ok: true });
  });
  it('refuses another origin, a missing Origin and a cross-site fetch', () => {
    expect(checkRequest(req('POST', '/api/x', { ...write, origin: 'http://evil.example' }), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
    expect(checkRequest(req('POST', '/api/x', { ...write, origin: 'http://127.0.0.1:3001' }), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
    expect(checkRequest(req('POST', '/api/x', { ...write, origin: 'null' }), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
    const { origin: _o, ...noOrigin } = write;
    void _o;
    expect(checkRequest(req('POST', '/api/x', noOrigin), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
    for (const site of ['cross-site', 'same-site'])
      expect(checkRequest(req('PUT', '/api/x', { ...write, 'sec-fetch-site': site }), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
  });
  it('refuses the bodies a plain form can send (text/plain, urlencoded, multipart) with 415 json-required', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])
      expect(checkRequest(req('POST', '/api/x', { ...write, 'content-type': type }), cfg)).toMatchObject({ status: 415, code: 'json-required' });
    expect(checkRequest(req('POST', '/api/x', { ...write, 'content-type': 'application/json; charset=utf-8' }), cfg)).toEqual({ ok: true });
  });
  it('an upload needs its custom header instead of JSON', () => {
    const path = '/api/hosts/lab/pools/default/volumes/new.img/content';
    const up = { ...write, 'content-type': 'application/octet-stream' };
    expect(checkRequest(req('PUT', path, up), cfg)).toMatchObject({ status: 415, code: 'json-required' });
    expect(checkRequest(req('PUT', path, { ...up, 'x-ksc-upload': '1' }), cfg)).toEqual({ ok: true });
    expect(checkRequest(req('PUT', path, { ...up, 'x-ksc-upload': '1', origin: 'http://evil.example' }), cfg)).toMatchObject({ code: 'cross-origin' });
  });
});

describe('request gate: reads', () => {
  it('pages open from any site; the API refuses cross-site browser requests', () => {
    expect(checkRequest(req('GET', '/hosts/lab', { ...own, 'sec-fetch-site': 'cross-site' }), cfg)).toEqual({ ok: true });
    expect(checkRequest(req('GET', '/api/hosts', { ...own, 'sec-fetch-site': 'cross-site' }), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
    expect(checkRequest(req('GET', '/api/hosts', { ...own, 'sec-fetch-site': 'same-origin' }), cfg)).toEqual({ ok: true });
    expect(checkRequest(req('GET', '/api/hosts', own), cfg)).toEqual({ ok: true }); // curl
  });
  it('GETs that act (discovery, download, event stream) need a same-origin browser or the client header', () => {
    for (const path of ['/api/hosts/lab/pool-sources', '/api/hosts/lab/pools/p/volumes/v/content', '/api/jobs/abc/events']) {
      expect(checkRequest(req('GET', path, own), cfg)).toMatchObject({ status: 403, code: 'cross-origin' });
      expect(checkRequest(req('GET', path, { ...own, 'x-ksc-client': '1' }), cfg)).toEqual({ ok: true });
      expect(checkRequest(req('GET', path, { ...own, 'sec-fetch-site': 'same-origin' }), cfg)).toEqual({ ok: true });
      expect(checkRequest(req('GET', path, { ...own, 'sec-fetch-site': 'none' }), cfg)).toEqual({ ok: true });
      expect(checkRequest(req('GET', path, { ...own, 'sec-fetch-site': 'cross-site', 'x-ksc-client': '1' }), cfg)).toMatchObject({ code: 'cross-origin' });
    }
  });
  it("the OIDC callback takes the identity provider's top-level navigation, and nothing else from another site", () => {
    const nav = { ...own, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    for (const site of ['cross-site', 'same-site']) {
      expect(checkRequest(req('GET', '/api/auth/oidc/callback', { ...nav, 'sec-fetch-site': site }), cfg)).toEqual({ ok: true });
      expect(checkRequest(req('GET', '/api/auth/oidc/callback', { ...nav, 'sec-fetch-site': site, 'sec-fetch-dest': 'iframe' }), cfg)).toMatchObject({ code: 'cross-origin' });
      expect(checkRequest(req('GET', '/api/auth/oidc/callback', { ...own, 'sec-fetch-site': site, 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }), cfg)).toMatchObject({ code: 'cross-origin' });
      expect(checkRequest(req('GET', '/api/auth/oidc/callback', { ...own, 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }), cfg)).toMatchObject({ code: 'cross-origin' });
      expect(checkRequest(req('GET', '/api/auth/oidc/start', { ...nav, 'sec-fetch-site': site }), cfg)).toMatchObject({ code: 'cross-origin' });
      expect(checkRequest(req('GET', '/api/hosts', { ...nav, 'sec-fetch-site': site }), cfg)).toMatchObject({ code: 'cross-origin' });
    }
  });
});

describe('security headers', () => {
  it('a page CSP allows scripts only by nonce, never eval in production, and no framing', () => {
    const csp = contentSecurityPolicy(cfg, 'abc');
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy({ ...cfg, dev: true }, 'abc')).toContain("'unsafe-eval'");
  });
  it('API answers get a CSP that runs nothing', () => {
    expect(contentSecurityPolicy(cfg, null)).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });
  it('nosniff, same-origin referrer and opener, no framing', () => {
    expect(securityHeaders(cfg)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
  });
});
