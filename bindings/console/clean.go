package console

import (
	"strings"

	"host/jsrt"
)

// CleanWriter is an io.Writer that passes what is written to W through
// jsrt.CleanControls, also when a control character's bytes are split across writes.
// Not safe for concurrent use (wrap W's users as they would W).
type CleanWriter struct {
	W    interface{ Write([]byte) (int, error) }
	held bool // the last write ended with 0xC2, which may begin a C1
}

// Write writes p cleaned; it reports len(p) when W took it all.
func (w *CleanWriter) Write(p []byte) (int, error) {
	s := string(p)
	if w.held {
		s = "\xc2" + s
		w.held = false
	}
	if strings.HasSuffix(s, "\xc2") {
		w.held = true
		s = s[:len(s)-1]
	}
	if _, err := w.W.Write([]byte(jsrt.CleanControls(s))); err != nil {
		return 0, err
	}
	return len(p), nil
}
