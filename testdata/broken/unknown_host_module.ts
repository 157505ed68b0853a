import { secrets } from 'host:secrets';
export default definePlugin({ onActivate: async () => secrets });
