import type { NextConfig } from 'next';

const config: NextConfig = {
  // ssh2 ships optional native bindings; keep it out of the server bundle.
  serverExternalPackages: ['ssh2', 'cpu-features', 'better-sqlite3'],
  poweredByHeader: false,
  experimental: {
    // With proxy.ts in front, Next buffers each request body for it: keep that small. JSON bodies
    // are capped at 1 MiB anyway (server/http.ts); uploads bypass the proxy (see proxy.ts).
    proxyClientMaxBodySize: '2mb',
  },
  reactStrictMode: true,
  // The inventory path is read at run time (KSC_INVENTORY), which file tracing cannot resolve:
  // keep it from tracing the whole tree — lab/state can hold a nested lab's root filesystem.
  outputFileTracingExcludes: { '*': ['lab/**', 'test/**', 'e2e/**', 'bench/**', 'docs/**', 'data/**', '.git/**'] },
};

export default config;
