package types

import (
	"regexp"
	"strings"
	"testing"
)

// The type-checking of real plugins against these declarations (with tsc)
// is in cmd/host/types_test.go; these tests check the assembly.

func TestDeclarationsForms(t *testing.T) {
	dom, standalone := Declarations(true), Declarations(false)
	both := []string{
		"declare namespace z",
		"interface SecretStore",
		"interface PluginStore",
		"interface PluginContext<Config = any>",
		"declare function definePlugin<",
		"declare function refreshOAuthToken(",
		`declare module "host:plugin"`,
	}
	onlyStandalone := []string{
		"declare var console",
		"declare var AbortController",
		"declare function setTimeout",
		"declare function fetch(",
		"declare class Response",
	}
	for _, s := range both {
		if !strings.Contains(dom, s) || !strings.Contains(standalone, s) {
			t.Errorf("%q missing from a form", s)
		}
	}
	for _, s := range onlyStandalone {
		if !strings.Contains(standalone, s) {
			t.Errorf("%q missing from the standalone form", s)
		}
		if strings.Contains(dom, s) {
			t.Errorf("%q in the DOM form: the DOM lib declares it (duplicate identifier)", s)
		}
	}
	if !strings.HasPrefix(dom, "// host.d.ts") || !strings.Contains(dom, "host types --no-dom") {
		t.Errorf("DOM form header:\n%s", dom[:200])
	}
}

// A top-level import or export would make host.d.ts a module, and every
// global in it (definePlugin, z, PluginContext) would vanish.
func TestDeclarationsAreAGlobalScript(t *testing.T) {
	moduleSyntax := regexp.MustCompile(`(?m)^(import|export)\b`)
	for _, p := range parts() {
		if loc := moduleSyntax.FindStringIndex(p.dts); loc != nil {
			line := strings.Count(p.dts[:loc[0]], "\n") + 1
			t.Errorf("%s:%d: top-level %s makes host.d.ts a module", p.name, line, p.dts[loc[0]:loc[1]])
		}
		if strings.TrimSpace(p.dts) == "" {
			t.Logf("%s is empty", p.name)
		}
	}
}
