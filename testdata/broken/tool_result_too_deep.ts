// args: call tool_result_too_deep.ts deep {}
// A tool returning a value nested 20000 levels deep: goja's JSON.stringify
// would take seconds on it (the cost grows with the square of the
// depth, and a timeout cannot stop it); host refuses it at once.
export default definePlugin({
  tools: {
    deep: {
      description: 'Deep',
      input: z.object({}),
      run: async () => {
        let v: unknown = 1;
        for (let i = 0; i < 20000; i++) v = [v];
        return v;
      },
    },
  },
});
