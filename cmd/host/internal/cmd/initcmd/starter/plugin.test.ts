// Tests of plugin.ts, started by `host init`. Run them with
//
//   host test            (or: host test --watch)
//
// host runs them inside its own runtime, the one the plugin runs on, with
// the vitest API and the plugin SDK's test harness: createTestHarness calls
// the plugin's tools, hooks and loop against an in-memory host that records
// what the plugin did (messages, statuses, logs, store).
import { describe, it, expect } from 'vitest';
import { createTestHarness } from '@hivemind-os/plugin-sdk/testing';
import plugin from './plugin';

const config = { token: 'fake-token-for-tests', baseUrl: 'https://api.example.com' };

describe('plugin', () => {
  it('asks for the API token as a secret', () => {
    const schema = createTestHarness(plugin).getConfigSchema();
    expect(schema.required).toContain('token');
    expect(schema.properties.token.hivemind?.secret).toBe(true);
  });

  it('greets and counts the greetings', async () => {
    const harness = createTestHarness(plugin, { config });
    expect((await harness.callTool('greet', { name: 'Ada' })).content).toEqual({ message: 'Hello, Ada.', count: 1 });
    expect((await harness.callTool('greet', { name: 'Ada', excited: true })).content).toEqual({ message: 'Hello, Ada!', count: 2 });
    expect(harness.kvStore.greetings).toBe(2);
  });

  it('refuses an empty token', async () => {
    const harness = createTestHarness(plugin, { config: { ...config, token: ' ' } });
    await expect(harness.activate()).rejects.toThrow('The API token is empty');
  });
});
