import { afterEach, describe, expect, it } from 'vitest';
import { PEER_HEADER, sourceAddressOf } from './peer';

// The caller's address comes only from the header the console's own server sets (with its
// per-process secret); X-Forwarded-For only from a loopback proxy, and only when trusted.
const g = globalThis as { __kscPeerSecret?: string };
const env = { ...process.env };
afterEach(() => {
  delete g.__kscPeerSecret;
  process.env = { ...env };
});
const h = (o: Record<string, string>) => new Headers(o);

describe('sourceAddressOf', () => {
  it('is null without the server’s secret: a client-sent x-ksc-peer or X-Forwarded-For is ignored', () => {
    expect(sourceAddressOf(h({ [PEER_HEADER]: 'x 10.1.1.1', 'x-forwarded-for': '10.2.2.2' }))).toBeNull();
    g.__kscPeerSecret = 's3cret';
    expect(sourceAddressOf(h({ [PEER_HEADER]: 'guess 10.1.1.1' }))).toBeNull();
  });

  it('is the socket address the server put there', () => {
    g.__kscPeerSecret = 's3cret';
    expect(sourceAddressOf(h({ [PEER_HEADER]: 's3cret 192.0.2.7', 'x-forwarded-for': '6.6.6.6' }))).toBe('192.0.2.7');
  });

  it('behind a trusted loopback proxy: the last X-Forwarded-For entry (the one the proxy added)', () => {
    g.__kscPeerSecret = 's3cret';
    process.env.KSC_TRUST_PROXY = '1';
    expect(sourceAddressOf(h({ [PEER_HEADER]: 's3cret 127.0.0.1', 'x-forwarded-for': '6.6.6.6, 198.51.100.4' }))).toBe('198.51.100.4');
    // a proxy that is not on loopback is not trusted
    expect(sourceAddressOf(h({ [PEER_HEADER]: 's3cret 203.0.113.9', 'x-forwarded-for': '6.6.6.6' }))).toBe('203.0.113.9');
  });
});
