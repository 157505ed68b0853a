package mcp

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestDrainIO: stdin's end waits until the requests read before it are
// answered, counting messages split across reads and writes; notifications
// and answers without an id owe nothing.
func TestDrainIO(t *testing.T) {
	in := `{"jsonrpc":"2.0","id":1,"method":"initialize"}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" +
		`{"jsonrpc":"2.0","id":"b","method":"tools/list"}` + "\n"
	var out bytes.Buffer
	d := newDrainIO(context.Background(), strings.NewReader(in), &out)
	eof := make(chan struct{})
	go func() {
		_, _ = io.ReadAll(d)
		close(eof)
	}()
	answer := func(s string) {
		t.Helper()
		for i := 0; i < len(s); i += 7 { // in pieces, as a writer may
			if _, err := d.Write([]byte(s[i:min(i+7, len(s))])); err != nil {
				t.Fatal(err)
			}
		}
	}
	answer(`{"jsonrpc":"2.0","id":1,"result":{}}` + "\n" + `{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}` + "\n")
	select {
	case <-eof:
		t.Fatal("stdin ended with tools/list unanswered")
	case <-time.After(100 * time.Millisecond): // it must still be waiting
	}
	answer(`{"jsonrpc":"2.0","id":"b","result":{"tools":[]}}` + "\n")
	select {
	case <-eof:
	case <-time.After(time.Minute):
		t.Fatal("stdin did not end once every request was answered")
	}
	if d.asked != 2 || d.answered != 2 {
		t.Errorf("asked %d, answered %d; want 2, 2", d.asked, d.answered)
	}
}
