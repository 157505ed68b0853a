package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
	"host/jsrt"
)

// BuildFailure shows esbuild's messages with the source line and a caret.
type BuildFailure struct{ be *jsrt.BuildError }

func (b *BuildFailure) Error() string {
	var sb strings.Builder
	for i, m := range b.be.Errors {
		if i > 0 {
			sb.WriteString("\n")
		}
		writeBuildMessage(&sb, m)
	}
	return sb.String()
}

func (b *BuildFailure) Unwrap() error { return b.be }

// writeBuildMessage writes "file.ts:3:7: text" and, when known, the source line
// with a caret under the column.
func writeBuildMessage(sb *strings.Builder, m jsrt.Message) {
	sb.WriteString(m.String())
	if m.LineText != "" {
		num := fmt.Sprint(m.Line)
		fmt.Fprintf(sb, "\n    %s | %s\n    %s | %s^", num, m.LineText, strings.Repeat(" ", len(num)), caretPad(m.LineText, m.Column-1))
	}
}

// FramedError is a JS error at load with the source line it points at and
// a caret under the column, as build errors show them.
type FramedError struct {
	err   error
	frame string
}

func (e *FramedError) Error() string { return e.err.Error() + e.frame }
func (e *FramedError) Unwrap() error { return e.err }

// withCodeFrame adds the source line of je's position (its file read
// relative to workDir) to err; err as it is when the line cannot be read.
func withCodeFrame(err error, je *jsrt.JSError, workDir string) error {
	path := je.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(workDir, path)
	}
	b, rerr := os.ReadFile(path)
	if rerr != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	if je.Line > len(lines) {
		return err
	}
	text := strings.TrimRight(lines[je.Line-1], "\r")
	if len(text) > 300 { // a minified line: no frame
		return err
	}
	col := je.Column
	// goja points at the call; the caret goes under the missing member.
	if _, rest, ok := strings.Cut(je.Message, "has no member '"); ok {
		member, _, _ := strings.Cut(rest, "'")
		if i := strings.LastIndex(text[:min(len(text), max(col, 0))], "."+member); i >= 0 {
			col = i + 2
		}
	}
	num := fmt.Sprint(je.Line)
	return &FramedError{err: err, frame: fmt.Sprintf("\n    %s | %s\n    %s | %s^", num, text, strings.Repeat(" ", len(num)), caretPad(text, col-1))}
}

func caretPad(line string, col int) string {
	var sb strings.Builder
	for i, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			sb.WriteByte('\t')
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// ShowWarnings prints esbuild's warnings about the plugin's source: the
// build went through, but the author probably meant something else.
func ShowWarnings(io *cmdutil.IO, p *plugin.Plugin) {
	for _, m := range p.Warnings {
		var sb strings.Builder
		sb.WriteString("warning: ")
		writeBuildMessage(&sb, m)
		fmt.Fprintln(io.Err, io.Masker.Mask(sb.String()))
	}
}

// ErrorText is the message for a plugin that failed to load or activate:
// build errors with the source line, JS errors with their mapped stack.
func ErrorText(err error) string {
	var bf *BuildFailure
	if errors.As(err, &bf) {
		return bf.Error()
	}
	if je, ok := jsrt.AsJSError(err); ok && je.Stack != "" {
		return err.Error() + "\n" + cmdutil.Indent(stackFrames(je.Stack))
	}
	return err.Error()
}

// stackFrames keeps the "at ..." lines of a JS stack.
func stackFrames(stack string) string {
	var out []string
	for _, ln := range strings.Split(stack, "\n") {
		if t := strings.TrimSpace(ln); strings.HasPrefix(t, "at ") {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}

// ClaimError words a refused claim on a plugin id: exit 2, and how to
// adopt the id or pick another.
func ClaimError(err error) error {
	var ce *plugin.IDClaimedError
	if errors.As(err, &ce) {
		return cmdutil.WithExit(cmdutil.ExitUsage, jsrt.WithHint(ce,
			fmt.Sprintf("if %s is meant to replace it, run it once with --adopt; otherwise give it its own id: definePlugin({ id: '...' })", baseName(ce.File))))
	}
	var oe *plugin.OwnerRecordError
	if errors.As(err, &oe) {
		return cmdutil.WithExit(cmdutil.ExitUsage, jsrt.WithHint(oe,
			"if you know which file owns the id, delete the record and run that file once with --adopt"))
	}
	return cmdutil.WithExit(cmdutil.ExitUsage, err)
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// SetupError words bad config input (exit 2); other errors pass.
func SetupError(err error) error {
	var ie *plugin.InputError
	if errors.As(err, &ie) {
		return cmdutil.WithExit(cmdutil.ExitUsage, inputError(ie))
	}
	return err
}

// inputError words bad config input with where it came from: --set KEY or
// HOST_CONFIG_KEY.
func inputError(ie *plugin.InputError) error {
	if len(ie.Fields) == 0 {
		return ie
	}
	lines := make([]string, 0, len(ie.Fields))
	for _, f := range ie.Fields {
		from := "--set " + f.Key
		switch {
		case f.From == plugin.FromEnv && f.Name != "":
			from = f.Name
		case f.From == plugin.FromEnv:
			from = plugin.EnvName(f.Key)
		case f.Name != "":
			from = "--set " + f.Name
		}
		if f.Unknown {
			lines = append(lines, fmt.Sprintf("%s: no config field %q (fields: %s)", from, f.Key, strings.Join(f.Known, ", ")))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s: %v", from, f.Key, f.Err))
	}
	return errors.New(strings.Join(lines, "\n"))
}
