package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/jsrt"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		once bool
	}{
		{[]string{"--once", "p.ts"}, []string{"p.ts"}, true},
		{[]string{"p.ts", "--once"}, []string{"p.ts"}, true},
		{[]string{"a", "-once", "b"}, []string{"a", "b"}, true},
		{[]string{"a", "--", "--once", "-x"}, []string{"a", "--once", "-x"}, false},
		{[]string{"--once", "--", "a", "-x"}, []string{"a", "-x"}, true},
		{[]string{"-", "x"}, []string{"-", "x"}, false},
	} {
		fs := NewFlagSet("t")
		once := fs.Bool("once", false, "")
		pos, err := Parse(fs, tc.args)
		if err != nil || !reflect.DeepEqual(pos, tc.pos) || *once != tc.once {
			t.Errorf("Parse(%q) = %q, once %v, %v; want %q, once %v", tc.args, pos, *once, err, tc.pos, tc.once)
		}
	}
}

// TestPluginFlagsOnlyThoseAsked: a command gets only the flags it uses.
func TestPluginFlagsOnlyThoseAsked(t *testing.T) {
	var p PluginFlags
	fs := NewFlagSet("t")
	p.Register(fs, FlagDataDir|FlagSet)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if strings.Join(names, " ") != "data-dir set" {
		t.Errorf("registered %v, want data-dir and set", names)
	}
	if _, err := Parse(fs, []string{"--timeout", "1s"}); err == nil {
		t.Errorf("--timeout parsed on a command without it")
	}
	if _, err := Parse(fs, []string{"--set", "k=v=w", "--set", "a="}); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err != nil || !reflect.DeepEqual(p.Set, map[string]string{"k": "v=w", "a": ""}) {
		t.Errorf("Apply: %v %v", p.Set, err)
	}
	p.Sets = MultiFlag{"novalue"}
	var ue *UsageError
	if err := p.Apply(); !errors.As(err, &ue) || !strings.Contains(err.Error(), `--set "novalue": expected KEY=VALUE`) {
		t.Errorf("Apply of a bad --set: %v", err)
	}
}

// TestReport: one line (and a hint), masked, and the exit code the error
// carries.
func TestReport(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code ExitCode
		out  string
	}{
		{nil, ExitOK, ""},
		{flag.ErrHelp, ExitOK, ""},
		{fmt.Errorf("wrapped: %w", flag.ErrHelp), ExitOK, ""},
		{errors.New("boom"), ExitFailure, "host: boom\n"},
		{Usagef("bad %s", "flag"), ExitUsage, "host: bad flag\n"},
		{WithExit(ExitInterrupted, errors.New("stopped")), ExitInterrupted, "host: stopped\n"},
		{jsrt.WithHint(errors.New("no token fake-secret-1234"), "set it"), ExitFailure, "host: no token ***\n  hint: set it\n"},
	} {
		var errb bytes.Buffer
		f := New(&IO{Err: &errb}, "test")
		f.IO.Masker.Add("fake-secret-1234")
		if code := Report(f.IO, tc.err); code != tc.code || errb.String() != tc.out {
			t.Errorf("Report(%v) = %d, %q; want %d, %q", tc.err, code, errb.String(), tc.code, tc.out)
		}
	}
}

// TestCommandExecute: help on stdout, flag errors worded once, a family
// dispatching on its first argument.
func TestCommandExecute(t *testing.T) {
	var out, errb bytes.Buffer
	f := New(&IO{Out: &out, Err: &errb}, "test")
	var got []string
	sub := NewCommand(f, "fam sub", "Usage: host fam sub\n")
	verbose := sub.Flags.Bool("v", false, "")
	sub.Run = func(_ context.Context, args []string) error { got = args; return nil }
	fam := NewCommand(f, "fam", "Usage: host fam\n")
	fam.Subcommands = map[string]*Command{"sub": sub}
	fam.Run = func(_ context.Context, args []string) error { return Usagef("fam: which? got %q", args) }

	if err := fam.Execute(context.Background(), []string{"sub", "x", "-v"}); err != nil || !reflect.DeepEqual(got, []string{"x"}) || !*verbose {
		t.Errorf("fam sub x -v: %v, args %q, -v %v", err, got, *verbose)
	}
	if err := fam.Execute(context.Background(), []string{"nope"}); err == nil || !strings.Contains(err.Error(), `fam: which? got ["nope"]`) {
		t.Errorf("fam nope: %v", err)
	}
	for _, args := range [][]string{{"--help"}, {"sub", "-h"}} {
		out.Reset()
		if err := fam.Execute(context.Background(), args); !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(out.String(), "Usage: host fam") {
			t.Errorf("fam %v: %v, stdout %q", args, err, out.String())
		}
	}
	err := fam.Execute(context.Background(), []string{"sub", "--nope"})
	if err == nil || err.Error() != "flag provided but not defined: -nope\nRun 'host fam sub --help' for its flags." {
		t.Errorf("fam sub --nope: %v", err)
	}
	if errb.Len() != 0 {
		t.Errorf("Execute printed on stderr: %q", errb.String())
	}
}

// TestHintTextWordsLibraryHints: libraries below cmd/host give a hint a
// kind and plain words; the CLI words it with its commands and flags.
func TestHintTextWordsLibraryHints(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing answers there now
	cfg := oauth.Config{AuthorizationURL: "http://" + addr + "/authorize", TokenURL: "http://" + addr + "/token", ClientID: "fake-client"}
	_, endpointErr := oauth.Refresh(t.Context(), cfg, http.DefaultClient, "fake-refresh")
	saved := errors.Join(errors.New("another field failed"), jsrt.WithHintKind(
		&plugin.SavedValueError{Plugin: "acme", Key: "region", Label: "Region", Err: errors.New("expected one of eu, us")},
		plugin.HintSupplyAgain, "set the plugin up again, or supply the value again"))
	for _, tc := range []struct {
		name       string
		err        error
		plain, cli string
	}{
		{"unreachable token endpoint", endpointErr,
			"check the network connection and the plugin's auth URLs (where connections to them are redirected, that the target is up)",
			"check the network connection and the plugin's auth URLs (with --connect-to, that the target is up)"},
		{"disabled tool", &plugin.ToolDisabledError{Plugin: "gate", Tool: "read"}, "",
			"enable it: host tools gate --enable read"},
		{"nobody to approve", &plugin.ApprovalError{Plugin: "gate", Tool: "wipe", Reason: "there is no terminal to ask in"}, "",
			"run it with host call in a terminal, or allow it for good: host tools gate --always-allow wipe"},
		{"saved value no longer fits", saved,
			"set the plugin up again, or supply the value again",
			"run `host auth login acme` or supply it again (--set region=... or HOST_CONFIG_REGION)"},
	} {
		if got := jsrt.Hint(tc.err); got != tc.plain {
			t.Errorf("%s: the library's hint is %q, want %q (err %v)", tc.name, got, tc.plain, tc.err)
		}
		if strings.Contains(tc.err.Error(), "host ") || strings.Contains(tc.err.Error(), "--") {
			t.Errorf("%s: the library's error names a CLI part: %q", tc.name, tc.err)
		}
		if got := HintText(tc.err); got != tc.cli {
			t.Errorf("%s: HintText = %q, want %q", tc.name, got, tc.cli)
		}
	}
}
