// Scaffolds the plugin SDK's create-plugin templates the way its
// create-plugin does (packages/create-plugin/src/index.ts: copy the
// template directory, then replace {{name}}, {{description}}, {{author}}
// and {{year}} in every .ts, .json and .md file).
//
//   node scaffold.mjs <hivemind repo checkout>
//
// writes connector/ (name my-connector) and tool-pack/ (name my-tool-pack)
// beside this file. The checked-in copies were made from hivemind-os/hivemind
// at commit 60322a1f3ffe94bebde637daaf46e0c64fc09178.
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = process.argv[2];
if (!repo) {
  console.error('usage: node scaffold.mjs <hivemind repo checkout>');
  process.exit(2);
}
const replaceInDir = (dir, replacements) => {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      replaceInDir(full, replacements);
    } else if (full.endsWith('.ts') || full.endsWith('.json') || full.endsWith('.md')) {
      let content = readFileSync(full, 'utf8');
      for (const [k, v] of Object.entries(replacements)) content = content.replaceAll(k, v);
      writeFileSync(full, content);
    }
  }
};
for (const [template, name] of [['connector', 'my-connector'], ['tool-pack', 'my-tool-pack']]) {
  const dest = join(here, template);
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(repo, 'packages/create-plugin/templates', template), dest, { recursive: true });
  replaceInDir(dest, {
    '{{name}}': name,
    '{{description}}': 'A Hivemind connector plugin',
    '{{author}}': 'Test Author',
    '{{year}}': '2026',
  });
}
