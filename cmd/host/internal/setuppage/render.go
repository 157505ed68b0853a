package setuppage

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"host/bindings/oauth"
	"host/bindings/setup"
	"host/cmd/host/internal/ui"
)

//go:embed assets
var assets embed.FS

// newTemplates parses the pages for a server whose pages are below base.
func newTemplates(base string) *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"stateClass": stateClass,
		"fieldData":  func(plugin string, f fieldView) fieldData { return fieldData{f, plugin} },
		"base":       func() string { return base },
		"codeText":   codeText,
	}).ParseFS(assets, "assets/*.html"))
}

// codeText renders text with its `backticked` parts as code.
func codeText(text string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(text, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
		} else {
			b.WriteString(template.HTMLEscapeString(part))
		}
	}
	return template.HTML(b.String())
}

// rootTemplates render the pages that must not name a server's base,
// parsed on first use: not at every start of the binary (issue 23 §1).
var rootTemplates = sync.OnceValue(func() *template.Template { return newTemplates("") })

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	var ctype string
	switch {
	case strings.HasSuffix(name, ".css"):
		ctype = "text/css; charset=utf-8"
	case strings.HasSuffix(name, ".js"):
		ctype = "text/javascript; charset=utf-8"
	default:
		http.NotFound(w, r)
		return
	}
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// problem renders an error page. It never names the base: it is what a
// request without a session gets.
func (s *Server) problem(w http.ResponseWriter, status int, title, msg string) {
	s.renderWith(rootTemplates(), w, status, "problem", map[string]any{"Title": title, "Message": msg})
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	s.renderWith(s.tmpl, w, status, name, data)
}

func (s *Server) renderWith(t *template.Template, w http.ResponseWriter, status int, name string, data any) {
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "the setup page failed to render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(buf.String()))
}

// final renders the last page of a process that ends once the plugin is
// set up: its style sheet inline (allowed by a nonce), no script, no link
// to the server about to stop.
func (s *Server) final(w http.ResponseWriter, p Plugin, result *outcome) {
	css, err := assets.ReadFile("assets/page.css")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	nonce := randomToken()
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+nonce+"'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
	s.render(w, http.StatusOK, "final", map[string]any{"Plugin": p, "Result": result, "Nonce": nonce, "CSS": template.CSS(css)})
}

// stateClass is the CSS class of a state's badge.
func stateClass(state setup.Phase) string {
	switch state {
	case setup.Active, setup.Ready:
		return "ok"
	case setup.NeedsSetup, setup.NeedsLogin:
		return "todo"
	case setup.Error, setup.Disabled, setup.SecretsUnavailable:
		return "bad"
	default:
		return "busy"
	}
}

// callbackPage is the page the browser shows after the OAuth2 provider
// sent it back to host's loopback redirect: host's callback page (package
// ui) with the way back to this page, which shows the plugin set up.
func (s *Server) callbackPage(id string) func(http.ResponseWriter, oauth.CallbackResult) {
	return ui.CallbackPageBack(s.URL(PluginPath(id)))
}
