// The tools the official MCP conformance suite's server scenarios call
// (@modelcontextprotocol/conformance): a plugin with id "test" whose tool
// "simple_text" is the MCP tool "test_simple_text", and so on. Written
// with the plugin SDK's API only, as any plugin would be.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'; // a 1x1 red PNG
const SILENCE = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA=='; // eight samples of silence, WAV
const b64 = (text: string) => btoa(text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default definePlugin({
  id: 'test',
  name: 'MCP conformance',
  tools: [
    {
      name: 'simple_text',
      description: 'Returns a simple text response',
      parameters: z.object({}),
      annotations: { readOnly: true },
      execute: async () => ({ content: 'This is a simple text response for testing.' }),
    },
    {
      name: 'image_content',
      description: 'Returns a 1x1 red PNG',
      parameters: z.object({}),
      execute: async () => ({ content: 'A red pixel:', artifacts: [{ name: 'pixel.png', mimeType: 'image/png', content: PIXEL }] }),
    },
    {
      name: 'audio_content',
      description: 'Returns a short WAV',
      parameters: z.object({}),
      execute: async () => ({ content: 'Silence:', artifacts: [{ name: 'silence.wav', mimeType: 'audio/wav', content: SILENCE }] }),
    },
    {
      name: 'embedded_resource',
      description: 'Returns an embedded text resource',
      parameters: z.object({}),
      execute: async () => ({
        content: 'A resource:',
        artifacts: [{ name: 'embedded.txt', mimeType: 'text/plain', content: b64('This is an embedded resource content.') }],
      }),
    },
    {
      name: 'multiple_content_types',
      description: 'Returns text, an image and a resource',
      parameters: z.object({}),
      execute: async () => ({
        content: 'Multiple content types test:',
        artifacts: [
          { name: 'pixel.png', mimeType: 'image/png', content: PIXEL },
          { name: 'data.json', mimeType: 'application/json', content: b64(JSON.stringify({ test: 'data', value: 123 })) },
        ],
      }),
    },
    {
      name: 'tool_with_logging',
      description: 'Logs three lines while it runs',
      parameters: z.object({}),
      execute: async (params, ctx) => {
        ctx.logger.info('Tool execution started');
        await sleep(50);
        ctx.logger.info('Tool processing data');
        await sleep(50);
        ctx.logger.info('Tool execution completed');
        return { content: 'Logged three lines.' };
      },
    },
    {
      name: 'error_handling',
      description: 'Always fails',
      parameters: z.object({}),
      execute: async () => {
        throw new Error('This tool intentionally returns an error for testing');
      },
    },
    {
      name: 'tool_with_progress',
      description: 'Reports progress 0, 50 and 100 of 100',
      parameters: z.object({}),
      execute: async (params, ctx) => {
        for (const progress of [0, 50, 100]) {
          ctx.progress({ progress, total: 100 });
          if (progress < 100) await sleep(50);
        }
        return { content: 'Progress reported.' };
      },
    },
    {
      name: 'sampling',
      description: "Runs a prompt on the client's model",
      parameters: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
      execute: async ({ prompt }, ctx) => {
        const reply = await ctx.sample({ prompt, maxTokens: 100 });
        return { content: `LLM response: ${reply.text}` };
      },
    },
    {
      name: 'elicitation',
      description: 'Asks the user for a name and an email',
      parameters: z.object({ message: z.string().describe('The message to show the user') }),
      execute: async ({ message }, ctx) => {
        const answer = await ctx.elicit({
          message,
          schema: z.object({
            username: z.string().describe("User's response"),
            email: z.string().describe("User's email address"),
          }),
        });
        return { content: `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` };
      },
    },
    {
      name: 'elicitation_sep1034_defaults',
      description: 'Asks with a default for every primitive type',
      parameters: z.object({}),
      execute: async (params, ctx) => {
        const answer = await ctx.elicit({
          message: 'Please review your details',
          schema: z.object({
            name: z.string().describe('User name').default('John Doe'),
            age: z.number().int().describe('User age').default(30),
            score: z.number().describe('User score').default(95.5),
            status: z.enum(['active', 'inactive', 'pending']).describe('User status').default('active'),
            verified: z.boolean().describe('Verification status').default(true),
          }),
        });
        return { content: `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` };
      },
    },
    {
      name: 'elicitation_sep1330_enums',
      description: 'Asks with every enum form MCP has (a JSON Schema, as z has no titled choices)',
      parameters: z.object({}),
      execute: async (params, ctx) => {
        const answer = await ctx.elicit({
          message: 'Pick some options',
          schema: {
            type: 'object',
            properties: {
              untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
              titledSingle: {
                type: 'string',
                oneOf: [
                  { const: 'value1', title: 'First Option' },
                  { const: 'value2', title: 'Second Option' },
                  { const: 'value3', title: 'Third Option' },
                ],
              },
              legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
              untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
              titledMulti: {
                type: 'array',
                items: {
                  anyOf: [
                    { const: 'value1', title: 'First Choice' },
                    { const: 'value2', title: 'Second Choice' },
                    { const: 'value3', title: 'Third Choice' },
                  ],
                },
              },
            },
          },
        });
        return { content: `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` };
      },
    },
  ],
});
