export default definePlugin('my plugin' as any);
