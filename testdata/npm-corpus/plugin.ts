// The corpus as a host plugin: the tool `run` runs one case (see cases/)
// and returns its result as JSON, or {"error": message}, as the Node side
// (node-runner.mjs) does.
import cases from './cases/index.mjs';

export default definePlugin({
  id: 'npm-corpus',
  tools: [
    {
      name: 'run',
      description: 'Runs one corpus case against the stand-in at base',
      parameters: z.object({ name: z.string(), base: z.string() }),
      async execute({ name, base }) {
        let out;
        try {
          out = await (cases as Record<string, (base: string) => unknown>)[name](base);
        } catch (e) {
          out = { error: String(e && (e as Error).message) };
        }
        return { content: [{ type: 'text', text: JSON.stringify(out) }] };
      },
    },
  ],
});
