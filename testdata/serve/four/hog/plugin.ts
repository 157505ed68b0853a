// Allocates about 4 GB in a tool: the serve stops its worker at the cap.
export default definePlugin({
  tools: {
    hog: {
      description: 'Allocates about 4 GB',
      run: async () => {
        let s = 'x';
        const keep: string[] = [];
        while (s.length < 4e9) {
          s = s + s;
          keep.push(s);
        }
        return keep.length;
      },
    },
    ping: { description: 'Answers pong', run: async () => 'pong' },
  },
});
