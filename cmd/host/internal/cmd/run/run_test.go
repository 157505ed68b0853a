package run

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"host/bindings/fetch"
	"host/cmd/host/internal/cmdutil"
)

// TestNewCmdRun parses `host run` lines into RunOptions (runF stands in
// for Run): flags before or after the plugin, repeatable ones collected.
func TestNewCmdRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want func(o *RunOptions) bool
	}{
		{[]string{"--watch", "plugin.ts"}, func(o *RunOptions) bool { return o.Watch && o.Path == "plugin.ts" && !o.Once }},
		{[]string{"plugin.ts", "--once"}, func(o *RunOptions) bool { return o.Once && o.Path == "plugin.ts" }},
		{[]string{"--set", "a=1", "p.ts", "--set=b=2", "--timeout", "5s", "--data-dir", "d"}, func(o *RunOptions) bool {
			return reflect.DeepEqual(o.Plugin.Set, map[string]string{"a": "1", "b": "2"}) && o.Plugin.Timeout == 5*time.Second && o.Plugin.DataDir == "d"
		}},
		{[]string{"--connect-to", "api.x.com:443:127.0.0.1:8443", "p.ts", "--no-browser", "--auth-timeout", "1m"}, func(o *RunOptions) bool {
			return reflect.DeepEqual(o.Plugin.ConnectTo, []fetch.ConnectTo{{Host: "api.x.com", Port: "443", ToHost: "127.0.0.1", ToPort: "8443"}}) &&
				o.Login.NoBrowser && o.Login.AuthTimeout == time.Minute
		}},
		{[]string{"--", "-odd.ts"}, func(o *RunOptions) bool { return o.Path == "-odd.ts" }},
	} {
		var out, errb bytes.Buffer
		f := cmdutil.New(&cmdutil.IO{Out: &out, Err: &errb}, "test")
		var got *RunOptions
		cmd := NewCmdRun(f, func(_ context.Context, o *RunOptions) error { got = o; return nil })
		if err := cmd.Execute(context.Background(), tc.args); err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		if got == nil || got.Factory != f || !tc.want(got) {
			t.Errorf("%v: options %+v", tc.args, got)
		}
	}
	for _, args := range [][]string{{}, {"a.ts", "b.ts"}, {"--watch", "--once", "a.ts"}, {"--set", "novalue", "a.ts"}} {
		f := cmdutil.New(&cmdutil.IO{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, "test")
		err := NewCmdRun(f, func(context.Context, *RunOptions) error { t.Errorf("%v ran", args); return nil }).Execute(context.Background(), args)
		var ue *cmdutil.UsageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
