export default { onActivate: async () => {} };
