import { helper } from './does-not-exist';
export default definePlugin({ onActivate: async () => helper() });
