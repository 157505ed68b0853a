// A plugin written against the SDK with zod 3's API (the SDK pins zod
// ^3.23): dates in its config, zod 3 types and helpers in its tools.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

interface Category {
  name: string;
  subcategories: Category[];
}
const Category: z.ZodType<Category> = z.lazy(() => z.object({ name: z.string(), subcategories: z.array(Category) }));

const Event = z.object({
  title: z.string().min(1),
  at: z.coerce.date(),
  tags: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.string())),
});

export default definePlugin({
  configSchema: z.object({
    since: z.date().label('Since').helpText('Only items after this date'),
    retries: z.number().int().min(0).default(3).label('Retries'),
  }),
  tools: [
    {
      name: 'since',
      description: 'The configured date, as ISO text',
      parameters: z.object({}),
      execute: async (_params, ctx) => ({ content: (ctx.config.since as Date).toISOString() }),
    },
    {
      name: 'tree',
      description: 'Counts the categories of a tree (z.lazy)',
      parameters: z.object({ root: Category }),
      execute: async ({ root }) => {
        const count = (c: Category): number => 1 + c.subcategories.reduce((n, s) => n + count(s), 0);
        return { content: String(count(root)) };
      },
    },
    {
      name: 'event',
      description: 'Parses an event with zod 3 helpers and reports what zod 3 code reads back',
      parameters: z.object({ raw: z.record(z.unknown()) }),
      execute: async ({ raw }) => {
        const r = Event.safeParse(raw);
        if (!r.success) {
          return { content: r.error.format(), isError: true };
        }
        const both = z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })).parse({ a: 'x', b: 1 });
        const add = z.function().args(z.number(), z.number()).returns(z.number()).implement((a, b) => a + b);
        const info = {
          title: r.data.title,
          at: r.data.at.toISOString(),
          tags: r.data.tags,
          both,
          sum: add(2, 3),
          ip: z.string().ip().safeParse('10.0.0.1').success,
          typeName: Event._def.typeName,
          isObject: Event instanceof z.ZodObject,
          big: z.bigint().parse(BigInt(7)).toString(),
          set: [...z.set(z.string()).parse(new Set(['a', 'b']))],
          defaultParsed: z.number().min(5).default(3).safeParse(undefined).success,
        };
        return { content: info };
      },
    },
  ],
});
