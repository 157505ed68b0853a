// Allocates about 4 GB in a tool: the serve stops its worker at the cap.
// In 64 MiB typed arrays: the cap is passed within milliseconds even on a
// loaded machine (doubling a string copies every byte and took seconds
// there, so the tool timeout fired first).
export default definePlugin({
  tools: {
    hog: {
      description: 'Allocates about 4 GB',
      run: async () => {
        const keep: Uint8Array[] = [];
        for (let n = 0; n < 4e9; n += 64 << 20) keep.push(new Uint8Array(64 << 20));
        return keep.length;
      },
    },
    ping: { description: 'Answers pong', run: async () => 'pong' },
  },
});
