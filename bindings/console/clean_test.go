package console

import (
	"bytes"
	"testing"
)

// TestCleanWriterSplit: a C1 control whose two bytes come in two writes
// is still written out.
func TestCleanWriterSplit(t *testing.T) {
	var b bytes.Buffer
	w := &CleanWriter{W: &b}
	for _, p := range []string{"a\xc2", "\x9b31m \x1b", "[2K\xc2", "\xa0ok\n"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if want := "a\\u009b31m \\x1b[2K\u00a0ok\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
