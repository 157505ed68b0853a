// Package arg checks the arguments plugin code passes to host's JS APIs,
// one way for every binding: a value that must be a string is a string
// (not a Symbol, whose export is its description), and a string used as a
// key is well-formed Unicode, so that two different JS strings never
// become one Go string. Every function runs on the loop goroutine of the
// runtime that owns the value.
package arg

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"

	"host/jsrt"
)

// CodeType is the code of a TypeError for an argument of the wrong type,
// the one Node uses.
const CodeType = "ERR_INVALID_ARG_TYPE"

// ErrLoneSurrogate is the error of Key for a string with a lone surrogate.
// Callers wrap it in their own invalid-key error.
var ErrLoneSurrogate = errors.New("not well-formed Unicode (it has a lone surrogate)")

// String returns v as a Go string. When v is not a JS string the error is
// a TypeError with code CodeType: "WHAT must be a string, got a number".
func String(v goja.Value, what string) (string, error) {
	s, ok := v.Export().(string)
	if !ok || !goja.IsString(v) { // a Symbol exports as its description
		return "", jsrt.WithCode(jsrt.TypeErrorf("%s must be a string, got %s", what, jsrt.TypeNameWithArticle(v)), CodeType)
	}
	return s, nil
}

// Key is String for a string that names something (a secret, a store
// entry): it also fails with ErrLoneSurrogate (returning the string as Go
// has it, with U+FFFD in place of each lone surrogate, for the caller's
// message) when the JS string is not well-formed UTF-16. Go has no lone
// surrogates, so "k\uD800" and "k\uFFFD" would otherwise name the same
// thing.
func Key(vm *goja.Runtime, v goja.Value, what string) (string, error) {
	s, err := String(v, what)
	if err != nil {
		return "", err
	}
	if strings.ContainsRune(s, utf8.RuneError) && !vm.ToValue(s).StrictEquals(v) {
		return s, ErrLoneSurrogate
	}
	return s, nil
}
