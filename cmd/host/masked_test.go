package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// errorish matches names of values that carry error text.
var errorish = regexp.MustCompile(`(^e$|^err|Err$|err$|^why$|^perr$)`)

// errorTextFuncs return text made from an error.
var errorTextFuncs = map[string]bool{"Error": true, "errorText": true, "hintText": true, "HintText": true, "Hint": true,
	"reloadErrorText": true, "ErrorText": true, "unavailableText": true, "Join": false}

// TestErrorsPrintedMasked reads every Fprint, Fprintf, Fprintln and Say
// call in cmd/host and fails on an argument that carries an error's text
// (an error value, err.Error(), a hint) unless it went through the
// masker: an error can hold a secret (a plugin's message, a provider's
// description, a value echoed by a library).
func TestErrorsPrintedMasked(t *testing.T) {
	t.Parallel()
	// package main and the packages the CLI's commands live in (split out
	// of package main: they print to the user too).
	var files []string
	for _, pattern := range []string{"*.go", "internal/cmd/*/*.go", "internal/cmdutil/*.go", "internal/session/*.go",
		"internal/terminal/*.go", "internal/surface/*.go", "internal/worker/*.go", "internal/root/*.go", "internal/guard/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			first := 0
			switch sel.Sel.Name {
			case "Fprint", "Fprintf", "Fprintln":
				first = 1
			case "Say":
			default:
				return true
			}
			checked++
			for _, arg := range call.Args[first:] {
				if carriesError(arg) {
					t.Errorf("%s: %s prints error text unmasked: wrap it in Masker.Mask", fset.Position(arg.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
	if checked < 50 {
		t.Fatalf("only %d print calls found; is the test reading cmd/host?", checked)
	}
}

// carriesError reports whether e is error text not passed through Mask.
func carriesError(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return errorish.MatchString(x.Name)
	case *ast.CallExpr:
		name := ""
		switch f := x.Fun.(type) {
		case *ast.SelectorExpr:
			name = f.Sel.Name
		case *ast.Ident:
			name = f.Name
		}
		if name == "Mask" {
			return false
		}
		if errorTextFuncs[name] {
			return true
		}
		for _, a := range x.Args {
			if carriesError(a) {
				return true
			}
		}
	case *ast.SelectorExpr:
		return errorish.MatchString(x.Sel.Name)
	case *ast.BinaryExpr:
		return carriesError(x.X) || carriesError(x.Y)
	case *ast.ParenExpr:
		return carriesError(x.X)
	case *ast.UnaryExpr:
		return carriesError(x.X)
	}
	return false
}
