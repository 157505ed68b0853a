definePlugin({ onActivate: async () => {} });
