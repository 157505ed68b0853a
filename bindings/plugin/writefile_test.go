package plugin

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestWriteErrorsNameWhatWasSaved: a file host cannot write is reported
// as what it was saving (the config, the tool policy, the owner record),
// never as "saving config" for all of them; WriteFileAtomic itself names
// the file and the step, without its temporary file.
func TestWriteErrorsNameWhatWasSaved(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a dangling symlink needs a privilege on Windows")
	}
	ctx := context.Background()
	h, _ := newHost(t)
	path := writePlugin(t, h, "svc/plugin.ts", `export default definePlugin({
  id: 'svc',
  configSchema: z.object({ region: z.string() }),
});`)
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	s, err := p.Setup(ctx, Inputs{Set: map[string]string{"region": "eu-1"}})
	if err != nil {
		t.Fatal(err)
	}
	// The plugin's directory cannot be made (a dangling link takes its
	// place; this fails for root too): every file in it fails to save.
	dir := filepath.Join(h.DataDir, "plugins", "svc")
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(t.TempDir(), "gone"), dir); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what string
		err  error
	}{
		{"saving the config of plugin svc: creating " + dir + ": ", s.Save(ctx)},
		{"saving the tool policy of plugin svc: creating " + dir + ": ", SetToolMark(h.DataDir, "svc", "read", MarkDisabled)},
		{"recording the owner of plugin id svc: creating " + dir + ": ", p.Claim(ctx, path, false)},
	} {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.what) {
			t.Errorf("got %v, want %q...", tt.err, tt.what)
		}
	}

	// A rename onto a directory: the file and why, not the temporary name.
	target := filepath.Join(t.TempDir(), "state.json")
	if err := os.MkdirAll(filepath.Join(target, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
	err = WriteFileAtomic(target, []byte("{}\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "writing "+target+": ") || strings.Contains(err.Error(), ".tmp-") || strings.Contains(err.Error(), "config") {
		t.Errorf("WriteFileAtomic onto a directory: %v", err)
	}
}
