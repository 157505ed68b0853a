// Node built-ins import fine; the ones host has no version of throw when
// called, saying what a plugin uses instead.
import { readFileSync } from 'node:fs';
const config = readFileSync('/etc/hosts', 'utf8');
export default definePlugin({ id: 'reads-files', onActivate() { console.log(config); } });
