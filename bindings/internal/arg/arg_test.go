package arg_test

import (
	"errors"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/internal/arg"
	"host/jsrt"
)

func TestKey(t *testing.T) {
	vm := goja.New()
	tests := []struct {
		src, want, err string
		lone           bool
	}{
		{src: `'plain'`, want: "plain"},
		{src: `'k\uFFFD'`, want: "k\uFFFD"},
		{src: `'\u{1F511}'`, want: "\U0001F511"},
		{src: `'k\uD800'`, want: "k\uFFFD", lone: true},
		{src: `'\uDC00k'`, want: "\uFFFDk", lone: true},
		{src: `42`, err: "KEY must be a string, got a number"},
		{src: `Symbol('k')`, err: "KEY must be a string, got a symbol"},
		{src: `new String('k')`, err: "KEY must be a string, got an object"},
		{src: `undefined`, err: "KEY must be a string, got undefined"},
	}
	for _, tt := range tests {
		v, err := vm.RunString(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := arg.Key(vm, v, "KEY")
		switch {
		case tt.lone:
			if !errors.Is(err, arg.ErrLoneSurrogate) || got != tt.want {
				t.Errorf("%s: got %q, %v; want %q and ErrLoneSurrogate", tt.src, got, err, tt.want)
			}
		case tt.err != "":
			var c jsrt.Coder
			if err == nil || err.Error() != tt.err || !errors.As(err, &c) || c.Code() != arg.CodeType {
				t.Errorf("%s: got error %v; want %q with code %s", tt.src, err, tt.err, arg.CodeType)
			}
		case err != nil || got != tt.want:
			t.Errorf("%s: got %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}
