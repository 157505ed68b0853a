import { definePlugin, z } from '@hivemind-os/plugin-sdk';

export function double(n: number): number {
  if (n < 0) {
    throw new RangeError('negative input: ' + n);
  }
  return n * 2;
}

export default definePlugin({
  configSchema: z.object({ token: z.string().secret().label('Token') }),
  tools: [
    {
      name: 'double',
      description: 'doubles n',
      parameters: z.object({ n: z.number() }),
      execute: async ({ n }) => ({ content: String(double(n)) }),
    },
  ],
});
