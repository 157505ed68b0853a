// JSON.stringify of a 1e6-deep object: a native call that no timeout
// interrupts.
export default definePlugin({
  tools: {
    deep: {
      description: 'Stringifies a 1e6-deep object',
      run: async () => {
        let o: any = {};
        for (let i = 0; i < 1e6; i++) o = { a: o };
        return JSON.stringify(o).length;
      },
    },
    ping: { description: 'Answers pong', run: async () => 'pong' },
  },
});
