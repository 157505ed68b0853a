package plugin

import (
	"context"
	"strings"
	"testing"
)

const quotaPlugin = `export default definePlugin({
  id: 'ID',
  tools: [
    { name: 'fill', description: 'writes 16 KiB files until refused', parameters: z.object({}),
      execute: async (_p, ctx) => {
        const chunk = 'x'.repeat(16 << 10);
        for (let i = 0; ; i++) {
          try { await ctx.dataDir.writeFile('fill/' + i, chunk) } catch (e) { return { content: i + ' ' + e.code + ' ' + e.message } }
        }
      } },
    { name: 'write', description: 'writes one small file', parameters: z.object({}),
      execute: async (_p, ctx) => { await ctx.dataDir.writeFile('small.txt', 'hello'); return { content: await ctx.dataDir.readFile('small.txt') } } },
    { name: 'mkdirs', description: 'makes empty directories until refused', parameters: z.object({}),
      execute: async (_p, ctx) => {
        for (let i = 0; ; i++) {
          try { await ctx.dataDir.mkdir('d/' + i) } catch (e) { return { content: i + ' ' + e.code } }
        }
      } },
    { name: 'clean', description: 'removes what fill wrote', parameters: z.object({}),
      execute: async (_p, ctx) => { await ctx.dataDir.remove('fill'); return { content: 'ok' } } },
  ],
})`

// TestDataDirQuota: a plugin filling its ctx.dataDir is refused at its
// quota with ERR_DATADIR_QUOTA and a message saying what to do, also with
// empty directories; another plugin of the same host still writes; after
// a removal the plugin writes again.
func TestDataDirQuota(t *testing.T) {
	h, _ := newHost(t)
	h.DataQuota = 256 << 10
	hog := loadActive(t, h, writePlugin(t, h, "hog.ts", strings.Replace(quotaPlugin, "ID", "hog", 1)))
	defer hog.Close()
	other := loadActive(t, h, writePlugin(t, h, "other.ts", strings.Replace(quotaPlugin, "ID", "other", 1)))
	defer other.Close()
	call := func(p *Plugin, tool string) string {
		t.Helper()
		r, err := p.CallTool(context.Background(), tool, nil)
		if err != nil {
			t.Fatalf("%s %s: %v", p.ID, tool, err)
		}
		return r.Text()
	}
	// 256 KiB hold the "fill" directory and 15 files of 16 KiB.
	want := `15 ERR_DATADIR_QUOTA ctx.dataDir.writeFile("fill/15"): refused: the plugin's data (its ctx.dataDir files, ctx.store values and emitted messages and events) would hold 260 KiB, over its quota of 256 KiB; remove what the plugin no longer needs (ctx.dataDir.remove, ctx.store.delete), or ask the user to clear some of it or raise its data quota`
	if got := call(hog, "fill"); got != want {
		t.Errorf("fill:\n got %s\nwant %s", got, want)
	}
	if got := call(hog, "write"); got != "hello" { // 12 KiB left: a small file fits
		t.Errorf("write beside the full directory: %s", got)
	}
	if got := call(other, "write"); got != "hello" {
		t.Errorf("the other plugin's write: %s", got)
	}
	if got := call(hog, "clean"); got != "ok" {
		t.Fatalf("clean: %s", got)
	}
	if got := call(hog, "write"); got != "hello" {
		t.Errorf("write after clean: %s", got)
	}
	// Empty directories count too (a block each): "d" and 62 in it fit
	// beside small.txt.
	if got := call(hog, "mkdirs"); got != "62 ERR_DATADIR_QUOTA" {
		t.Errorf("mkdirs: %s", got)
	}
}
