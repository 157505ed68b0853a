import { DatabaseSync } from 'node:sqlite3';
export default definePlugin({ id: 'sqlite', onActivate() { new DatabaseSync(':memory:'); } });
