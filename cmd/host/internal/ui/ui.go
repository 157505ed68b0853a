// Package ui is the look of host's pages in the browser: one embedded
// template and stylesheet (no external assets), served with a strict
// Content-Security-Policy that allows only that stylesheet. The OAuth
// callback page uses it; the local setup page reuses Render and CSS.
package ui

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"sync"
)

//go:embed style.css
var css string

//go:embed page.html
var pageHTML string

var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageHTML))
})

// CSS is the stylesheet every page inlines.
func CSS() string { return css }

// CSP is the Content-Security-Policy of every page: nothing but the inline
// stylesheet (by its hash), no scripts, frames, forms or external loads.
var CSP = sync.OnceValue(func() string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
})

// Tones of a page's card.
const (
	ToneOK    = "ok"
	ToneError = "error"
	ToneInfo  = "info"
)

// Page is one page's content. Every field is text, escaped when rendered:
// provider and plugin text may be put here as it is.
type Page struct {
	Title   string
	Plugin  string // the plugin's name, shown under the title
	Tone    string // ToneOK, ToneError, ToneInfo
	Outcome string // a machine-readable outcome (data-outcome)
	Lines   []string
	Scopes  []string
	Detail  string // a provider's or an error's own words, set apart
	Next    string // what to do next
	Back    string // a link back to host's setup page ("" for none)
}

// Headers sets the headers every page is served with: the CSP, no caching,
// no referrer (a callback URL holds a code), no sniffing, no framing.
func Headers(h http.Header) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", CSP())
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// Render writes p with status.
func Render(w http.ResponseWriter, status int, p Page) {
	Headers(w.Header())
	w.WriteHeader(status)
	_ = tmpl().Execute(w, struct {
		Page
		CSS template.CSS
	}{p, template.CSS(css)})
}
