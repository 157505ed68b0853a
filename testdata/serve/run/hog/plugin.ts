// Goes above the memory cap while it activates.
export default definePlugin({
  onActivate: async () => {
    let s = 'x';
    const keep: string[] = [];
    while (s.length < 4e9) {
      s = s + s;
      keep.push(s);
    }
  },
});
