import type { NextConfig } from 'next';

const config: NextConfig = {
  // ssh2 ships optional native bindings; keep it out of the server bundle.
  serverExternalPackages: ['ssh2', 'cpu-features'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
