// An npm package the plugin imports but nobody installed.
import { Octokit } from '@octokit/rest/dist-web';
export default definePlugin({ id: 'gh', onActivate() { new Octokit(); } });
