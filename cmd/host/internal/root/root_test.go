package root

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"

	"host/cmd/host/internal/cmdutil"
)

func newFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	io := &cmdutil.IO{Out: &out, Err: &errb, LookupEnv: func(string) (string, bool) { return "", false }}
	return cmdutil.New(io, "test"), &out, &errb
}

// every is each command line that names a command: "run", "auth login"...
func every(t *testing.T) [][]string {
	f, _, _ := newFactory()
	var lines [][]string
	for name, newCmd := range Commands() {
		c := newCmd(f)
		if len(c.Subcommands) == 0 {
			lines = append(lines, []string{name})
		}
		for sub := range c.Subcommands {
			lines = append(lines, []string{name, sub})
		}
	}
	sort.Slice(lines, func(i, j int) bool { return strings.Join(lines[i], " ") < strings.Join(lines[j], " ") })
	if len(lines) < 18 {
		t.Fatalf("only %d commands: %v", len(lines), lines)
	}
	return lines
}

// TestEveryCommandHelpOnStdout: `host CMD --help`, `-h` and `host help
// CMD` print the command's usage on stdout, nothing on stderr, exit 0.
func TestEveryCommandHelpOnStdout(t *testing.T) {
	for _, line := range every(t) {
		for _, args := range [][]string{append(append([]string{}, line...), "--help"), append(append([]string{}, line...), "-h"), {"help", line[0]}} {
			f, out, errb := newFactory()
			code := Run(context.Background(), f, args)
			if code != cmdutil.ExitOK || errb.Len() != 0 || !strings.HasPrefix(out.String(), "Usage: host "+line[0]) {
				t.Errorf("host %s: exit %d, stdout %.40q, stderr %q", strings.Join(args, " "), code, out.String(), errb.String())
			}
		}
	}
}

// TestEveryCommandRefusesUnknownFlags: a flag a command does not take is a
// usage error in one format: the flag package's line and where the help
// is, exit 2, nothing on stdout (issue 20: `host doctor --set x=y` used to
// parse silently).
func TestEveryCommandRefusesUnknownFlags(t *testing.T) {
	for _, line := range every(t) {
		f, out, errb := newFactory()
		args := append(append([]string{}, line...), "--no-such-flag", "x")
		code := Run(context.Background(), f, args)
		want := "host: flag provided but not defined: -no-such-flag\nRun 'host " + strings.Join(line, " ") + " --help' for its flags.\n"
		if code != cmdutil.ExitUsage || out.Len() != 0 || errb.String() != want {
			t.Errorf("host %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(args, " "), code, out.String(), errb.String(), want)
		}
	}
	// The flags of other commands are refused too.
	for _, args := range [][]string{
		{"doctor", "--set", "x=y"},
		{"status", "--watch"},
		{"types", "--data-dir", "d"},
		{"init", "--adopt"},
		{"auth", "logout", "--device", "p.ts"},
		{"messages", "--timeout", "1s", "p"},
	} {
		f, _, errb := newFactory()
		if code := Run(context.Background(), f, args); code != cmdutil.ExitUsage || !strings.Contains(errb.String(), "flag provided but not defined") {
			t.Errorf("host %s: exit %d, stderr %q", strings.Join(args, " "), code, errb.String())
		}
	}
}

// TestUnknownCommand names the nearest command, never the hidden worker.
func TestUnknownCommand(t *testing.T) {
	for in, want := range map[string]string{
		"rnu":    `unknown command "rnu"; did you mean "run"?`,
		"worke":  `unknown command "worke"`,
		"statu":  `did you mean "status"?`,
		"zzzzzz": `unknown command "zzzzzz"`,
	} {
		f, _, errb := newFactory()
		if code := Run(context.Background(), f, []string{in}); code != cmdutil.ExitUsage || !strings.Contains(errb.String(), want) {
			t.Errorf("host %s: exit %d, stderr %q, want %q", in, code, errb.String(), want)
		}
		if in == "worke" && strings.Contains(errb.String(), "did you mean") {
			t.Errorf("host worke suggests the internal worker: %q", errb.String())
		}
	}
}
