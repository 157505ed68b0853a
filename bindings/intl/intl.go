// Package intl is the Go side of the ECMA-402 `Intl` global goja lacks
// (NumberFormat, DateTimeFormat, Collator, PluralRules) and of the
// toLocaleString methods of Number and Date that format through it.
// intl.js holds the JS surface; the formatting is Go: golang.org/x/text for
// numbers, collation and plural rules, the CLDR date patterns of
// intl_date_data.go for dates. A locale or option host does not cover is a
// RangeError naming it, never another result than Node's.
package intl

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dop251/goja"
	"golang.org/x/text/collate"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"host/bindings/jsapi"
	"host/jsrt"
)

var (
	//go:embed intl.js
	intlJS string
	//go:embed locale.js
	localeJS string

	intlProgram   = jsrt.NewProgram("host:intl", intlJS)
	localeProgram = jsrt.NewProgram("host:intl/locale.js", localeJS)
)

// Install defines the global Intl, made the first time a plugin touches
// it, and Number.prototype.toLocaleString, Date.prototype.toLocaleString,
// toLocaleDateString and toLocaleTimeString formatting through it (goja's
// own ignore the locale). Call once per runtime on its loop goroutine,
// before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	var intl goja.Value
	intlOnce := func() goja.Value {
		if intl == nil {
			v, err := makeIntl(vm)
			if err != nil {
				panic(jsrt.NewError(vm, fmt.Errorf("internal error in host: Intl: %w", err)))
			}
			intl = v
		}
		return intl
	}
	g := vm.GlobalObject()
	if _, err := localeProgram.Call(vm, vm.ToValue(func(goja.FunctionCall) goja.Value { return intlOnce() })); err != nil {
		return fmt.Errorf("intl: %w", err)
	}
	return jsrt.DefineLazy(vm, g, []jsrt.LazyProp{{Name: "Intl"}}, func() error {
		return g.DefineDataProperty("Intl", intlOnce(), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	})
}

// intlNatives are the Go side of intl.js, for one runtime.
type intlNatives struct{ vm *goja.Runtime }

func (n intlNatives) table() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"canonicalLocale": n.canonicalLocale,
		"formatNumber":    n.formatNumber,
		"formatDate":      n.formatDate,
		"dateLocale":      n.dateLocale,
		"dateSupported":   func(c goja.FunctionCall) goja.Value { return n.vm.ToValue(dateSupported(c.Argument(0).String())) },
		"dateHour12": func(c goja.FunctionCall) goja.Value {
			return n.vm.ToValue(dateLocaleFor(c.Argument(0).String()).defaultHour12())
		},
		"dateCheck":        n.dateCheck,
		"timeZone":         n.timeZone,
		"localTimeZone":    func(goja.FunctionCall) goja.Value { return n.vm.ToValue(localTimeZone()) },
		"currencyDigits":   func(c goja.FunctionCall) goja.Value { return n.vm.ToValue(currencyDigits(c.Argument(0).String())) },
		"collator":         n.collator,
		"plural":           n.plural,
		"pluralCategories": n.pluralCategories,
	}
}

// canonicalLocale is the BCP 47 form of a tag, or a RangeError.
func (n intlNatives) canonicalLocale(c goja.FunctionCall) goja.Value {
	s := c.Argument(0).String()
	tag, err := language.Parse(s)
	if err != nil || s == "" || strings.ContainsAny(s, " _!") {
		panic(jsrt.NewError(n.vm, jsrt.RangeErrorf("Incorrect locale information provided: %q", s)))
	}
	return n.vm.ToValue(tag.String())
}

func (n intlNatives) tag(v goja.Value) language.Tag {
	tag, err := language.Parse(v.String())
	if err != nil {
		return language.AmericanEnglish
	}
	return tag
}

func (n intlNatives) formatNumber(c goja.FunctionCall) goja.Value {
	var o NumberOptions
	if err := n.vm.ExportTo(c.Argument(2), &o); err != nil {
		panic(jsrt.NewError(n.vm, err))
	}
	return n.vm.ToValue(formatNumber(n.tag(c.Argument(0)), c.Argument(1).ToFloat(), o))
}

// dateLocale is the locale host formats dates in for a requested one.
func (n intlNatives) dateLocale(c goja.FunctionCall) goja.Value {
	return n.vm.ToValue(dateLocaleFor(c.Argument(0).String()).id)
}

// dateCheck throws the RangeError naming the first option the locale's
// patterns do not cover.
func (n intlNatives) dateCheck(c goja.FunctionCall) goja.Value {
	dl := dateLocaleFor(c.Argument(0).String())
	var o DateOptions
	if err := n.vm.ExportTo(c.Argument(1), &o); err != nil {
		panic(jsrt.NewError(n.vm, err))
	}
	if _, _, bad := dl.pat.keys(o); bad != "" {
		panic(jsrt.NewError(n.vm, jsrt.RangeErrorf("Intl.DateTimeFormat: %s is not supported by host for locale %s", bad, dl.id)))
	}
	return goja.Undefined()
}

func (n intlNatives) formatDate(c goja.FunctionCall) goja.Value {
	var o DateOptions
	if err := n.vm.ExportTo(c.Argument(3), &o); err != nil {
		panic(jsrt.NewError(n.vm, err))
	}
	ms := c.Argument(1).ToFloat()
	if math.IsNaN(ms) || math.Abs(ms) > 8.64e15 {
		panic(jsrt.NewError(n.vm, jsrt.RangeErrorf("Invalid time value")))
	}
	loc, err := time.LoadLocation(c.Argument(2).String())
	if err != nil {
		loc = time.UTC
	}
	t := time.UnixMilli(int64(ms)).In(loc)
	parts := formatDate(dateLocaleFor(c.Argument(0).String()), t, o)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = map[string]any{"type": p.Type, "value": p.Value}
	}
	return n.vm.ToValue(out)
}

// timeZone is the IANA name of a zone, or a RangeError.
func (n intlNatives) timeZone(c goja.FunctionCall) goja.Value {
	name := c.Argument(0).String()
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "etc/utc") || strings.EqualFold(name, "gmt") {
		return n.vm.ToValue("UTC")
	}
	if _, err := time.LoadLocation(name); err != nil || name == "" || name == "Local" {
		panic(jsrt.NewError(n.vm, jsrt.RangeErrorf("Invalid time zone specified: %s", name)))
	}
	return n.vm.ToValue(name)
}

// localTimeZone is the IANA name of the machine's zone: $TZ, else what
// /etc/localtime links to, else UTC.
func localTimeZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if dest, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(dest, "zoneinfo/"); i >= 0 {
			if name := dest[i+len("zoneinfo/"):]; name != "" {
				if _, err := time.LoadLocation(name); err == nil {
					return name
				}
			}
		}
	}
	return "UTC"
}

// collator returns a compare function for the locale and options.
func (n intlNatives) collator(c goja.FunctionCall) goja.Value {
	var o struct {
		Sensitivity string `json:"sensitivity"`
		Numeric     bool   `json:"numeric"`
		Ignore      bool   `json:"ignorePunctuation"`
	}
	if err := n.vm.ExportTo(c.Argument(1), &o); err != nil {
		panic(jsrt.NewError(n.vm, err))
	}
	var opts []collate.Option
	switch o.Sensitivity {
	case "base":
		opts = append(opts, collate.IgnoreCase, collate.IgnoreDiacritics)
	case "accent":
		opts = append(opts, collate.IgnoreCase)
	case "case":
		opts = append(opts, collate.IgnoreDiacritics)
	}
	if o.Numeric {
		opts = append(opts, collate.Numeric)
	}
	col := collate.New(n.tag(c.Argument(0)), opts...)
	return n.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		return n.vm.ToValue(col.CompareString(c.Argument(0).String(), c.Argument(1).String()))
	})
}

var pluralNames = map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}

func pluralRules(kind string) *plural.Rules {
	if kind == "ordinal" {
		return plural.Ordinal
	}
	return plural.Cardinal
}

// plural is the plural category of a number (given as its decimal string,
// so "1.0" and "1" differ as CLDR's rules require).
func (n intlNatives) plural(c goja.FunctionCall) goja.Value {
	s := c.Argument(2).String()
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	i := 0
	for _, r := range intPart {
		i = (i*10 + int(r-'0')) % 1000000
	}
	f := 0
	for _, r := range frac {
		f = (f*10 + int(r-'0')) % 1000000
	}
	t := 0
	trimmed := strings.TrimRight(frac, "0")
	for _, r := range trimmed {
		t = (t*10 + int(r-'0')) % 1000000
	}
	form := pluralRules(c.Argument(1).String()).MatchPlural(n.tag(c.Argument(0)), i, len(frac), len(trimmed), f, t)
	return n.vm.ToValue(pluralNames[form])
}

// pluralCategories lists the categories a locale uses, in CLDR's order.
func (n intlNatives) pluralCategories(c goja.FunctionCall) goja.Value {
	rules := pluralRules(c.Argument(1).String())
	tag := n.tag(c.Argument(0))
	seen := map[plural.Form]bool{}
	for i := 0; i < 200; i++ {
		seen[rules.MatchPlural(tag, i, 0, 0, 0, 0)] = true
		seen[rules.MatchPlural(tag, i, 1, 1, 5, 5)] = true
	}
	var out []string
	for _, f := range []plural.Form{plural.Zero, plural.One, plural.Two, plural.Few, plural.Many, plural.Other} {
		if seen[f] {
			out = append(out, pluralNames[f])
		}
	}
	return n.vm.ToValue(out)
}

// makeIntl makes the Intl object, on first use (see Install).
func makeIntl(vm *goja.Runtime) (goja.Value, error) {
	nat := vm.NewObject()
	for name, fn := range (intlNatives{vm}).table() {
		if err := nat.Set(name, jsrt.Safe(vm, name, fn)); err != nil {
			return nil, err
		}
	}
	return intlProgram.Call(vm, nat)
}
