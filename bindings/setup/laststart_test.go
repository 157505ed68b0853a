package setup

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLastStartRecord: a failed start is kept with its state and masked
// reason, read back as it was, and removed by a start that works; a
// session without a surface keeps nothing.
func TestLastStartRecord(t *testing.T) {
	data := t.TempDir()
	mask := func(s string) string { return strings.ReplaceAll(s, "fake-secret-1", "***") }
	fail := &Failure{Kind: Bug, Pos: "plugin.ts:5:10", Err: errors.New("TypeError: bad fake-secret-1")}
	recordStart(data, "/w", "gate", "", fail, mask)
	if l, err := ReadLastStart(data, "gate"); l != nil || err != nil {
		t.Fatalf("without a surface: %+v, %v; want nothing kept", l, err)
	}
	recordStart(data, "/w", "gate", "host run", fail, mask)
	l, err := ReadLastStart(data, "gate")
	if err != nil || l == nil {
		t.Fatalf("ReadLastStart: %+v, %v", l, err)
	}
	if l.Phase != Error || l.Kind != Bug || l.Reason != "plugin.ts:5:10: TypeError: bad ***" || l.Surface != "host run" || l.WorkDir != "/w" || l.At.IsZero() {
		t.Errorf("kept %+v", l)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "plugins", "gate", "last-start.json")); strings.Contains(string(b), "fake-secret-1") {
		t.Errorf("the record holds the secret:\n%s", b)
	}
	if txt := l.Text(); !strings.HasPrefix(txt, "failed at last start: plugin.ts:5:10: TypeError: bad ***, ") || !strings.HasSuffix(txt, ", via host run") {
		t.Errorf("Text() = %q", txt)
	}
	recordStart(data, "/w", "gate", "host serve", nil, mask)
	if l, err := ReadLastStart(data, "gate"); l != nil || err != nil {
		t.Fatalf("after a start that worked: %+v, %v; want nothing kept", l, err)
	}
}

// TestLastStartIn: relative positions are rebased from the directory the
// start ran in to the one they are shown in; absolute ones are kept.
func TestLastStartIn(t *testing.T) {
	root := filepath.FromSlash("/w")
	l := &LastStart{WorkDir: root, Reason: "plugins/gate/plugin.ts:5:10: TypeError: x\n    at lib/util.mts:3:1 and " + filepath.Join(root, "abs.ts") + ":1:2"}
	got := l.In(filepath.Join(root, "plugins")).Reason
	want := filepath.FromSlash("gate/plugin.ts") + ":5:10: TypeError: x\n    at " + filepath.FromSlash("../lib/util.mts") + ":3:1 and " + filepath.Join(root, "abs.ts") + ":1:2"
	if got != want {
		t.Errorf("In:\n got %q\nwant %q", got, want)
	}
	if l.In(root) != l || l.In("") != l {
		t.Error("In the same directory (or an unknown one) changed the record")
	}
}
