import { describe, expect, it } from 'vitest';
import { findPoolSources } from './pool-service';

// Refused before any host is looked up or any command runs: the pool-type table says which types have discovery.
describe('findPoolSources', () => {
  it('refuses types without source discovery, and names that are no type', async () => {
    for (const type of ['dir', 'mpath', 'rbd', 'constructor']) await expect(findPoolSources('no-such-host', type)).rejects.toMatchObject({ code: 'invalid-input', status: 422 });
  });
  it('refuses iscsi-direct discovery as unsafe', async () => {
    await expect(findPoolSources('no-such-host', 'iscsi-direct', '127.0.0.1')).rejects.toMatchObject({ code: 'discovery-unsafe', status: 422 });
  });
});
