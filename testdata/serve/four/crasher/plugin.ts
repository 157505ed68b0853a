// Goes above the memory cap in every activation: crashes until disabled.
// (64 MiB typed arrays, as the hog: past the cap within milliseconds.)
export default definePlugin({
  onActivate: async () => {
    const keep: Uint8Array[] = [];
    for (let n = 0; n < 4e9; n += 64 << 20) keep.push(new Uint8Array(64 << 20));
  },
});
