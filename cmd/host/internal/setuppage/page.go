package setuppage

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"host/bindings/mask"
	"host/bindings/oauth"
	"host/bindings/setup"
	"host/cmd/host/internal/ui"
	"host/schema"
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

// rootTemplates render the pages that must not name a server's base.
var rootTemplates = newTemplates("")

// fieldData is one field's template data: the field and its plugin's id.
type fieldData struct {
	fieldView
	Plugin string
}

// Options configure a Server.
type Options struct {
	Backend Backend
	// Addr is the address the page's listener is bound to
	// ("127.0.0.1:PORT"); it must be a loopback address.
	Addr string
	// Masker masks every text the page shows that came from a plugin or a
	// provider (the backend's texts are masked already). Nil masks
	// nothing (tests only).
	Masker *mask.Masker
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// SessionTimeout bounds one session step the page waits for (an
	// activation); 0 means 2 minutes.
	SessionTimeout time.Duration
}

// Server is the setup page. Make it with New, serve Handler on the
// listener at Options.Addr, Close it when done.
type Server struct {
	o      Options
	addr   string // host:port of the listener
	port   string
	origin string // "http://" + addr
	// base is the path every page is served under: "/s/" and a random
	// token. The session cookie is scoped to it, so a server on another
	// port of 127.0.0.1 (browsers send cookies to every port of a host)
	// never receives it: the browser sends it there only for a path no
	// other page knows.
	base string
	tmpl *template.Template
	sess *sessions

	mu     sync.Mutex
	flows  map[string]*flow
	subs   map[chan struct{}]struct{}
	closed bool
	// oneShot: the process ends once a plugin is set up (EndsWhenSetUp).
	oneShot bool
	unsub   func()
	ctx     context.Context // ends at Close: background logins
	cancel  context.CancelFunc
}

// flow is the page's setup session of one plugin, between requests.
type flow struct {
	sess   Session
	fields map[string]Field // the plugin's fields by key (kinds, current values)
	step   setup.Step       // the current *setup.Ask or *setup.Login; nil while a step runs
	// waiting: a Next runs on its own goroutine (the OAuth2 login); busy:
	// a request runs one (an activation).
	waiting, busy bool
	// result is how the last session ended, shown once.
	result *outcome
	// issues are the settings form's problems by field key, shown once.
	issues map[string][]string
	// done are told when the plugin is set up (SetupLink).
	done []chan error
}

// outcome is how a session of the page ended.
type outcome struct {
	OK       bool
	Title    string
	Message  string // the plugin's own message, masked
	Pos      string
	Saved    []string // labels of secrets saved in the secret backend
	NotSaved []string
}

// New makes the page's server. It refuses a non-loopback Addr.
func New(o Options) (*Server, error) {
	if o.Backend == nil {
		return nil, errors.New("setuppage: no backend")
	}
	if !loopbackAddr(o.Addr) {
		return nil, fmt.Errorf("the setup page listens on loopback only, not on %s", o.Addr)
	}
	_, port, _ := net.SplitHostPort(o.Addr)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionTimeout <= 0 {
		o.SessionTimeout = 2 * time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	base := "/s/" + randomToken()
	tmpl := newTemplates(base)
	s := &Server{
		o: o, addr: o.Addr, port: port, origin: "http://" + o.Addr, base: base, tmpl: tmpl, sess: newSessions(o.Now),
		flows: map[string]*flow{}, subs: map[chan struct{}]struct{}{}, ctx: ctx, cancel: cancel,
	}
	s.unsub = o.Backend.Subscribe(s.changed)
	return s, nil
}

// Origin is the page's origin, "http://127.0.0.1:PORT".
func (s *Server) Origin() string { return s.origin }

// URL is the address of page path ("/" for the list, PluginPath(id) for
// one plugin), without a token.
func (s *Server) URL(path string) string { return s.origin + s.base + path }

// Link is the address of the page (path "/" for the list, or
// PluginPath(id) for one plugin) with a fresh one-time token that the
// browser exchanges for its session cookie. A token is good once, for 15
// minutes. The session of a link to one plugin's page opens that page
// only (see SetupLink).
func (s *Server) Link(path string) string {
	plugin := ""
	if rest, ok := strings.CutPrefix(path, "/setup/"); ok {
		plugin, _ = url.PathUnescape(strings.SplitN(rest, "/", 2)[0])
	}
	return s.URL(path) + "?token=" + url.QueryEscape(s.sess.newToken(plugin))
}

// PluginPath is the page of one plugin.
func PluginPath(id string) string { return "/setup/" + url.PathEscape(id) }

// SetupLink is Link for plugin id's page, and a channel told once when a
// session of the page set the plugin up (nil) or the server closed.
// release stops the notice.
func (s *Server) SetupLink(id string) (link string, done <-chan error, release func()) {
	ch := make(chan error, 1)
	s.mu.Lock()
	f := s.flowLocked(id)
	f.done = append(f.done, ch)
	s.mu.Unlock()
	release = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if f, ok := s.flows[id]; ok {
			for i, c := range f.done {
				if c == ch {
					f.done = append(f.done[:i], f.done[i+1:]...)
					break
				}
			}
		}
	}
	return s.Link(PluginPath(id)), ch, release
}

// EndsWhenSetUp tells the server that its process ends once a plugin is
// set up: the page of that success is then complete in itself (its style
// inline, no links back to a server that is gone) and says the window can
// be closed.
func (s *Server) EndsWhenSetUp() {
	s.mu.Lock()
	s.oneShot = true
	s.mu.Unlock()
}

// CodeLink is SetupLink for a link that people other than the user may
// read (an AI client's tool result, which the model and transcripts
// see): it opens the page only after code is typed there, and code is
// shown only where the user looks (the caller's terminal, the list page).
// SetupLink's done channel tells when a session of either set the
// plugin up.
func (s *Server) CodeLink(id string) (link, code string) {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	code = fmt.Sprintf("%06d", n.Int64())
	link = s.URL(PluginPath(id)) + "?token=" + url.QueryEscape(s.sess.newCodeToken(id, code))
	s.changed() // the list page shows the code
	return link, code
}

// WaitShown waits, at most d, until the page has shown plugin id's last
// setup result to the browser (a command that ends once the setup is done
// waits so for the page to tell the user).
func (s *Server) WaitShown(id string, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		f := s.flows[id]
		pending := f != nil && f.result != nil
		s.mu.Unlock()
		if !pending {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Close ends the sessions in progress and the live updates.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	flows := s.flows
	s.flows = map[string]*flow{}
	for ch := range s.subs {
		close(ch)
	}
	s.subs = map[chan struct{}]struct{}{}
	s.mu.Unlock()
	s.cancel()
	s.unsub()
	for _, f := range flows {
		if f.sess != nil {
			f.sess.Close()
		}
		for _, ch := range f.done {
			ch <- errors.New("the setup page closed")
		}
	}
}

func (s *Server) flowLocked(id string) *flow {
	f, ok := s.flows[id]
	if !ok {
		f = &flow{}
		s.flows[id] = f
	}
	return f
}

// changed tells the open pages that something changed.
func (s *Server) changed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Handler serves the page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /assets/{file}", s.asset)
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /setup/{id}", s.pluginPage)
	mux.HandleFunc("POST /setup/{id}", s.save)
	mux.HandleFunc("POST /setup/{id}/connect", s.connect)
	mux.HandleFunc("POST /setup/{id}/remove", s.remove)
	mux.HandleFunc("POST /setup/{id}/logout", s.logout)
	mux.HandleFunc("POST /setup/{id}/cancel", s.cancelFlow)
	mux.HandleFunc("GET /events", s.events)
	return s.guard(mux)
}

// guard checks every request: the Host header, the session cookie (or a
// one-time token to exchange for one), and for POSTs the Origin and the
// CSRF token.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		if !s.hostAllowed(r.Host) {
			s.problem(w, http.StatusMisdirectedRequest, "Wrong address", "This page answers only at "+s.origin+". Open the address host printed.")
			return
		}
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			// The style sheet and script of the pages that have no
			// session: they must not name the base.
			next.ServeHTTP(w, r)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, s.base)
		if !ok || (rest != "" && rest[0] != '/') {
			s.problem(w, http.StatusNotFound, "Open the link host printed",
				"This page needs the one-time link that `host serve` or `host setup PLUGIN --browser` printed.")
			return
		}
		if rest == "" {
			http.Redirect(w, r, s.base+"/", http.StatusSeeOther)
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path, u.RawPath = rest, ""
		r2.URL = &u
		r = r2
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/code" && r.Method == http.MethodPost {
			s.code(w, r)
			return
		}
		if tok := r.URL.Query().Get("token"); tok != "" && r.Method == http.MethodGet && s.sess.needsCode(tok) {
			s.render(w, http.StatusOK, "code", map[string]any{"Token": tok})
			return
		}
		if tok := r.URL.Query().Get("token"); tok != "" && r.Method == http.MethodGet {
			var have *browser
			if c, err := r.Cookie(cookieName); err == nil {
				have = s.sess.lookup(c.Value)
			}
			id := s.sess.exchange(tok, have)
			if id == "" {
				s.problem(w, http.StatusForbidden, "This link was used already",
					"A setup link works once. Run `host setup PLUGIN --browser` (or look at what `host serve` printed) for a new one.")
				return
			}
			if id != keepSession {
				http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: s.base + "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
			}
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.Path = s.base + u.Path
			u.RawQuery = q.Encode()
			// On by the page itself, not by a redirect: a browser that
			// came from elsewhere (the file host setup --browser opens, a
			// link in another app) sends the new SameSite=Strict cookie
			// only on a request this page starts.
			s.render(w, http.StatusOK, "onward", map[string]any{"URL": u.RequestURI()})
			return
		}
		var b *browser
		if c, err := r.Cookie(cookieName); err == nil {
			b = s.sess.lookup(c.Value)
		}
		if b == nil {
			s.problem(w, http.StatusUnauthorized, "Open the link host printed",
				"This page needs the one-time link that `host serve` or `host setup PLUGIN --browser` printed.")
			return
		}
		if !b.allows(r.URL.Path) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, s.base+PluginPath(b.plugin), http.StatusSeeOther)
				return
			}
			s.problem(w, http.StatusForbidden, "This link is for another plugin",
				fmt.Sprintf("The link you opened sets up %s only. Open the link host printed for the plugin you want.", b.plugin))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !s.sameOrigin(r) {
				s.problem(w, http.StatusForbidden, "Request refused", "The request did not come from this page.")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil || !b.checkCSRF(r.PostForm.Get("csrf")) {
				s.problem(w, http.StatusForbidden, "Request refused", "The form has expired or did not come from this page. Reload the page and try again.")
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), browserKey{}, b)))
	})
}

// code takes the code a code link asks for (CodeLink).
func (s *Server) code(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(r) {
		s.problem(w, http.StatusForbidden, "Request refused", "The request did not come from this page.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		s.problem(w, http.StatusBadRequest, "Request refused", "The form could not be read.")
		return
	}
	tok := r.PostForm.Get("token")
	var have *browser
	if c, err := r.Cookie(cookieName); err == nil {
		have = s.sess.lookup(c.Value)
	}
	id, left := s.sess.exchangeCode(tok, r.PostForm.Get("code"), have)
	if id == "" {
		if left > 0 {
			s.render(w, http.StatusForbidden, "code", map[string]any{"Token": tok, "Wrong": fmt.Sprintf("Wrong code (%d more tries).", left)})
			return
		}
		s.problem(w, http.StatusForbidden, "This link was used already",
			"A setup link works once (and a link that asks for a code, for five tries). Run `host setup PLUGIN --browser` for a new one, or open the setup page host serve printed.")
		return
	}
	if id != keepSession {
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: s.base + "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
	}
	b := s.sess.lookup(id)
	next := s.base + "/"
	if b != nil && b.plugin != "" {
		next = s.base + PluginPath(b.plugin)
	} else if have != nil && have.plugin != "" {
		next = s.base + PluginPath(have.plugin)
	}
	s.render(w, http.StatusOK, "onward", map[string]any{"URL": next})
}

type browserKey struct{}

func browserOf(r *http.Request) *browser {
	b, _ := r.Context().Value(browserKey{}).(*browser)
	return b
}

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
	s.renderWith(rootTemplates, w, status, "problem", map[string]any{"Title": title, "Message": msg})
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

func (s *Server) mask(text string) string {
	if s.o.Masker == nil {
		return text
	}
	return s.o.Masker.Mask(text)
}

func (s *Server) plugin(id string) (Plugin, bool) {
	for _, p := range s.o.Backend.Plugins() {
		if p.ID == id {
			return p, true
		}
	}
	return Plugin{}, false
}

// ---------------------------------------------------------------- pages

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	ps := s.o.Backend.Plugins()
	s.render(w, http.StatusOK, "index", map[string]any{"Plugins": ps, "CSRF": browserOf(r).csrf, "Codes": s.sess.codes()})
}

// pluginView is what the plugin template shows.
type pluginView struct {
	Plugin   Plugin
	CSRF     string
	Mode     string // "ask", "login", "settings"
	Sections []sectionView
	Ask      *setup.Ask
	Login    *setup.Login
	Result   *outcome
	Refusal  string
	HelpURL  string // the auth field's helpUrl ("Get a token")
	HelpText string
	OAuth    bool
	Flow     string // the flow's state for the live updates: "ask", "login", "wait", ""
	Notice   string
	Go       bool // go to Login.URL at once (the user just pressed Connect)
	// HasSecret: the form has a secret field (the note on where secrets
	// go is shown).
	HasSecret bool
}

type sectionView struct {
	Title  string
	Fields []fieldView
}

type fieldView struct {
	Key, ID, Label, Description, HelpText, HelpURL, Placeholder, Default string
	Input                                                                string // password, text, number, checkbox, select, radio, list, json
	Value                                                                string
	Values                                                               []string
	Choices                                                              []string
	Checked, Secret, Saved, Required                                     bool
	Issues                                                               []string
	DescribedBy                                                          string
}

func (s *Server) pluginPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, ok := s.plugin(id)
	if !ok {
		s.problem(w, http.StatusNotFound, "No such plugin", fmt.Sprintf("host has no plugin %q here.", id))
		return
	}
	s.mu.Lock()
	f := s.flowLocked(id)
	step, waiting, result, issues := f.step, f.waiting || f.busy, f.result, f.issues
	oneShot := s.oneShot
	f.issues = nil
	if !(oneShot && result != nil && result.OK) {
		f.result = nil
	}
	s.mu.Unlock()
	if oneShot && result != nil && result.OK {
		s.final(w, p, result)
		// Shown (WaitShown returns) only once the page is written.
		s.mu.Lock()
		if f.result == result {
			f.result = nil
		}
		s.mu.Unlock()
		return
	}

	if step == nil && !waiting && p.State == "needs setup" {
		// Start the setup: the session says what to ask.
		var err error
		if step, err = s.begin(r.Context(), id, SessionOptions{}); err != nil {
			s.mu.Lock()
			result = f.result
			f.result = nil
			s.mu.Unlock()
			if result == nil {
				result = &outcome{Title: "The setup could not start", Message: s.mask(err.Error())}
			}
		}
	}
	fields, ferr := s.fields(r.Context(), id)
	p, _ = s.plugin(id) // after fields: a backend may learn the plugin's auth type there
	v := &pluginView{Plugin: p, CSRF: browserOf(r).csrf, Result: result, OAuth: p.Auth == "oauth2"}
	if ferr != nil {
		v.Result = &outcome{Title: "The plugin's settings could not be read", Message: s.mask(ferr.Error())}
	}
	for _, fl := range fields {
		if fl.Auth && fl.HelpURL != "" && v.HelpURL == "" {
			v.HelpURL, v.HelpText = fl.HelpURL, fl.HelpText
		}
	}
	switch st := step.(type) {
	case *setup.Ask:
		v.Mode, v.Ask, v.Refusal, v.Flow = "ask", st, st.Refusal, "ask"
		qs := make([]Field, 0, len(st.Questions))
		for _, q := range st.Questions {
			fl := fields[q.Key]
			fl.Question = q
			fl.Saved = fl.Saved && !q.Secret // a secret asked again is not kept
			qs = append(qs, fl)
		}
		// A fresh form shows the optional settings too (not secrets),
		// after what it asks, so they can be set in the same step.
		asked := map[string]bool{}
		for _, q := range st.Questions {
			asked[q.Key] = true
		}
		var extra []Field
		for _, fl := range fields {
			if !asked[fl.Key] && !fl.Required && !fl.Secret {
				extra = append(extra, fl)
			}
		}
		sort.SliceStable(extra, func(i, j int) bool { return extra[i].order < extra[j].order })
		v.Sections = sections(append(qs, extra...))
	case *setup.Login:
		v.Mode, v.Login, v.Flow = "login", st, "login"
	default:
		v.Mode = "settings"
		if waiting {
			v.Flow = "wait"
		}
		all := make([]Field, 0, len(fields))
		for _, fl := range fields {
			all = append(all, fl)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].order < all[j].order })
		for i := range all {
			all[i].Issues = issues[all[i].Key]
		}
		v.Sections = sections(all)
	}
	for _, sec := range v.Sections {
		for _, fl := range sec.Fields {
			v.HasSecret = v.HasSecret || fl.Secret
		}
	}
	if r.URL.Query().Get("saved") == "none" {
		v.Notice = "Nothing changed."
	}
	v.Go = v.Login != nil && v.Login.URL != "" && r.URL.Query().Get("go") == "1"
	s.render(w, http.StatusOK, "plugin", v)
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

// fields are the plugin's fields by key, each with its position.
func (s *Server) fields(ctx context.Context, id string) (map[string]Field, error) {
	list, err := s.o.Backend.Fields(ctx, id)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Field, len(list))
	for i, f := range list {
		f.order = i
		m[f.Key] = f
	}
	return m, nil
}

// sections groups fields by their schema section, in order of first
// appearance; fields without one are "Settings".
func sections(fields []Field) []sectionView {
	var out []sectionView
	at := map[string]int{}
	for _, f := range fields {
		title := f.Section
		if title == "" {
			title = "Settings"
		}
		i, ok := at[title]
		if !ok {
			i = len(out)
			at[title] = i
			out = append(out, sectionView{Title: title})
		}
		out[i].Fields = append(out[i].Fields, view(f))
	}
	return out
}

func view(f Field) fieldView {
	v := fieldView{
		Key: f.Key, ID: "f-" + f.Key, Label: f.Label, Description: f.Description, HelpText: f.HelpText,
		HelpURL: f.HelpURL, Placeholder: f.Placeholder, Choices: f.Choices, Secret: f.Secret,
		Saved: f.Saved, Required: f.Required, Issues: f.Issues, Default: f.Default,
		Value: f.Value, Values: f.Values,
	}
	if v.Label == "" {
		v.Label = f.Key
	}
	for i, is := range v.Issues {
		if is == "required" {
			v.Issues = append([]string(nil), v.Issues...)
			v.Issues[i] = requiredIssue
		}
	}
	if v.HelpText == v.Description {
		v.HelpText = "" // the session falls back to the description
	}
	if v.Value == "" && f.HasDefault && !f.Secret {
		v.Value = f.Default
	}
	switch {
	case f.Secret:
		v.Input, v.Value = "password", ""
	case len(f.Choices) > 0 && f.Radio:
		v.Input = "radio"
	case len(f.Choices) > 0:
		v.Input = "select"
	case f.Kind == schema.KindBoolean:
		v.Input, v.Checked = "checkbox", v.Value == "true"
	case f.Kind == schema.KindNumber:
		v.Input = "number"
	case f.Kind == schema.KindDate:
		v.Input = "date"
		if t, err := schema.ParseDate(v.Value); err == nil {
			v.Value = t.Format("2006-01-02") // what <input type=date> shows
		}
	case f.Kind == schema.KindArray:
		v.Input = "list"
		if len(v.Values) == 0 && v.Value != "" {
			var items []any
			if json.Unmarshal([]byte(v.Value), &items) == nil {
				for _, it := range items {
					v.Values = append(v.Values, fmt.Sprint(it))
				}
			}
		}
	case f.Kind == schema.KindString || f.Kind == schema.KindLiteral || f.Kind == "":
		v.Input = "text"
	default:
		v.Input = "json"
	}
	var ids []string
	if f.Description != "" {
		ids = append(ids, v.ID+"-desc")
	}
	if f.HelpText != "" {
		ids = append(ids, v.ID+"-help")
	}
	if len(f.Issues) > 0 {
		ids = append(ids, v.ID+"-issues")
	}
	v.DescribedBy = strings.Join(ids, " ")
	return v
}

// answers reads the submitted form for fields: text as typed, a list's
// items as a JSON array, a checkbox as true/false. Empty values are left
// out (a saved secret stays as it is).
func answers(form url.Values, fields map[string]Field, keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		f, ok := fields[k]
		if !ok {
			continue
		}
		switch {
		case f.Kind == schema.KindArray && len(f.Choices) == 0:
			if _, sent := form[k+"[]"]; !sent {
				continue
			}
			items := []string{}
			for _, it := range form[k+"[]"] {
				if it = strings.TrimSpace(it); it != "" {
					items = append(items, it)
				}
			}
			b, _ := json.Marshal(items)
			out[k] = string(b)
		case f.Kind == schema.KindBoolean && len(f.Choices) == 0:
			vs := form[k]
			if len(vs) > 0 {
				out[k] = vs[len(vs)-1]
			}
		default:
			if v := form.Get(k); v != "" {
				out[k] = v
			}
		}
	}
	return out
}

// ------------------------------------------------------------- actions

// begin starts a session for id and runs its first step. The flow then
// holds the session at an Ask or a Login; a Done or a Failure is recorded
// as the flow's result.
func (s *Server) begin(ctx context.Context, id string, o SessionOptions) (setup.Step, error) {
	p, _ := s.plugin(id)
	o.Flow.Name = p.Name
	o.Flow.Page = s.callbackPage(id)
	sess, err := s.o.Backend.Session(ctx, id, o)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	f := s.flowLocked(id)
	if f.sess != nil {
		f.sess.Close()
	}
	f.sess, f.step, f.waiting = sess, nil, false
	f.fields = nil
	s.mu.Unlock()
	return s.advance(ctx, id, sess)
}

// advance runs the session's next step and records it.
func (s *Server) advance(ctx context.Context, id string, sess Session) (setup.Step, error) {
	ctx, cancel := context.WithTimeout(ctx, s.o.SessionTimeout)
	defer cancel()
	s.mu.Lock()
	f := s.flowLocked(id)
	f.busy = true
	s.mu.Unlock()
	st, err := sess.Next(ctx)
	s.mu.Lock()
	f.busy = false
	s.mu.Unlock()
	return s.record(id, sess, st, err)
}

// record keeps step st (or the end err) of the flow of id.
func (s *Server) record(id string, sess Session, st setup.Step, err error) (setup.Step, error) {
	s.mu.Lock()
	f := s.flowLocked(id)
	if f.sess != sess {
		// Replaced or closed meanwhile.
		s.mu.Unlock()
		if done, ok := st.(*setup.Done); ok && done.Plugin != nil {
			_ = done.Plugin.Deactivate(context.Background())
		}
		return nil, errors.New("the setup was replaced")
	}
	var done *setup.Done
	switch v := st.(type) {
	case *setup.Ask, *setup.Login:
		f.step = st
	case *setup.Done:
		done = v
		f.sess, f.step = nil, nil
	}
	if err != nil {
		f.sess, f.step = nil, nil
		f.result = s.failure(err)
	}
	s.mu.Unlock()
	if err != nil {
		sess.Close()
		s.changed()
		return nil, err
	}
	if done != nil {
		res := &outcome{OK: true, Title: "Saved and tested: the plugin activated"}
		for _, q := range done.Saved {
			res.Saved = append(res.Saved, q.Label)
		}
		for _, q := range done.NotSaved {
			res.NotSaved = append(res.NotSaved, q.Label)
		}
		aerr := s.o.Backend.Activated(s.ctx, id, done)
		if aerr != nil {
			res = &outcome{Title: "Saved, but the plugin did not start", Message: s.mask(aerr.Error())}
		}
		s.mu.Lock()
		f.result = res
		waiters := f.done
		f.done = nil
		s.mu.Unlock()
		for _, ch := range waiters {
			ch <- aerr
		}
	}
	s.changed()
	return st, nil
}

// failure words a session's end for the page.
func (s *Server) failure(err error) *outcome {
	var f *setup.Failure
	if !errors.As(err, &f) {
		return &outcome{Title: "The setup failed", Message: s.mask(err.Error())}
	}
	o := &outcome{Message: s.mask(f.Message), Pos: f.Pos}
	switch f.Kind {
	case setup.Refused:
		o.Title = "The plugin refused these credentials; nothing was saved"
	case setup.Bug:
		o.Title = "The plugin failed (a bug in its code); nothing was saved"
	case setup.HostFailed:
		o.Title = "The service or the network failed; nothing was saved. Try again later"
	case setup.LoginNeeded:
		o.Title = "The login did not complete"
	case setup.Cancelled:
		o.Title = "The setup was cancelled; nothing was saved"
	case setup.Claimed:
		o.Title = "Another plugin file owns this plugin's id"
	case setup.LoadFailed:
		o.Title = "The plugin does not load"
	default:
		o.Title = "The setup did not complete"
	}
	if o.Message == "" {
		o.Message = s.mask(f.Error())
	}
	return o
}

// save is "Save and test": answers to the session's Ask, or changed
// settings of a plugin that is set up (a new session trying them).
func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.plugin(id); !ok {
		s.problem(w, http.StatusNotFound, "No such plugin", fmt.Sprintf("host has no plugin %q here.", id))
		return
	}
	fields, err := s.fields(r.Context(), id)
	if err != nil {
		s.problem(w, http.StatusInternalServerError, "The plugin's settings could not be read", s.mask(err.Error()))
		return
	}
	s.mu.Lock()
	f := s.flowLocked(id)
	sess, step := f.sess, f.step
	s.mu.Unlock()
	back := PluginPath(id)
	if ask, ok := step.(*setup.Ask); ok && sess != nil {
		keys := make([]string, 0, len(ask.Questions))
		for _, q := range ask.Questions {
			keys = append(keys, q.Key)
		}
		// Optional settings the form showed beside the questions: a
		// changed one restarts the session with it set.
		asked := map[string]bool{}
		for _, k := range keys {
			asked[k] = true
		}
		var extraKeys []string
		for k, fl := range fields {
			if !asked[k] && !fl.Required && !fl.Secret {
				extraKeys = append(extraKeys, k)
			}
		}
		set := map[string]string{}
		for k, v := range answers(r.PostForm, fields, extraKeys) {
			if v != currentText(fields[k]) {
				set[k] = v
			}
		}
		if len(set) > 0 {
			st, err := s.begin(r.Context(), id, SessionOptions{Set: set})
			if _, again := st.(*setup.Ask); !again || err != nil {
				s.follow(w, r, id, st, err)
				return
			}
			s.mu.Lock()
			sess = f.sess
			s.mu.Unlock()
		}
		ans := answers(r.PostForm, fields, keys)
		for _, k := range keys {
			if _, ok := ans[k]; !ok {
				ans[k] = "" // the session says so when the field is required
			}
		}
		var ae *setup.AnswerError
		if err := sess.Answer(ans); err != nil && !errors.As(err, &ae) {
			s.record(id, sess, nil, err)
		} else {
			s.advanceAndFollow(w, r, id, sess)
			return
		}
		http.Redirect(w, r, s.base+back, http.StatusSeeOther)
		return
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	// A required field emptied on the settings form says so at the field
	// (an empty secret input keeps the saved secret).
	empty := map[string][]string{}
	for _, k := range keys {
		fl := fields[k]
		if _, sent := r.PostForm[k]; sent && fl.Required && !fl.Secret && !fl.HasDefault && strings.TrimSpace(r.PostForm.Get(k)) == "" {
			empty[k] = []string{requiredIssue}
		}
	}
	if len(empty) > 0 {
		s.mu.Lock()
		f.issues = empty
		s.mu.Unlock()
		http.Redirect(w, r, s.base+back, http.StatusSeeOther)
		return
	}
	changed := map[string]string{}
	for k, v := range answers(r.PostForm, fields, keys) {
		fl := fields[k]
		if fl.Secret || v != currentText(fl) {
			changed[k] = v
		}
	}
	if len(changed) == 0 {
		http.Redirect(w, r, s.base+back+"?saved=none", http.StatusSeeOther)
		return
	}
	st, err := s.begin(r.Context(), id, SessionOptions{Set: changed})
	s.follow(w, r, id, st, err)
}

// requiredIssue is what an empty required field says.
const requiredIssue = "Required: enter a value."

// currentText is a field's current value as the form shows it.
func currentText(f Field) string {
	if f.Kind == schema.KindArray && len(f.Choices) == 0 {
		b, _ := json.Marshal(append([]string{}, f.Values...))
		if len(f.Values) == 0 && f.Value != "" {
			return f.Value
		}
		return string(b)
	}
	if f.Value == "" && f.HasDefault {
		return f.Default
	}
	return f.Value
}

func (s *Server) advanceAndFollow(w http.ResponseWriter, r *http.Request, id string, sess Session) {
	st, err := s.advance(r.Context(), id, sess)
	s.follow(w, r, id, st, err)
}

// follow answers a POST after a session step: back to the plugin's page,
// which for a Login shows the way to the provider and (go=1) takes it at
// once, so the login happens in this browser. (A redirect straight to the
// provider would break the page's form-action policy.)
func (s *Server) follow(w http.ResponseWriter, r *http.Request, id string, st setup.Step, err error) {
	if _, ok := st.(*setup.Login); ok && err == nil {
		s.waitLogin(id)
		http.Redirect(w, r, s.base+PluginPath(id)+"?go=1", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, s.base+PluginPath(id), http.StatusSeeOther)
}

// waitLogin runs the Next that waits for the login, on its own goroutine.
func (s *Server) waitLogin(id string) {
	s.mu.Lock()
	f := s.flowLocked(id)
	sess := f.sess
	if sess == nil || f.waiting {
		s.mu.Unlock()
		return
	}
	f.waiting = true
	s.mu.Unlock()
	go func() {
		st, err := sess.Next(s.ctx)
		s.mu.Lock()
		f.waiting = false
		s.mu.Unlock()
		st, err = s.record(id, sess, st, err)
		if _, again := st.(*setup.Login); again && err == nil {
			s.waitLogin(id)
		}
	}()
}

// connect is "Connect": an OAuth2 login in this browser.
func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.plugin(id); !ok {
		s.problem(w, http.StatusNotFound, "No such plugin", fmt.Sprintf("host has no plugin %q here.", id))
		return
	}
	s.mu.Lock()
	f := s.flowLocked(id)
	lg, ok := f.step.(*setup.Login)
	s.mu.Unlock()
	if ok && lg.URL != "" {
		s.waitLogin(id)
		http.Redirect(w, r, s.base+PluginPath(id)+"?go=1", http.StatusSeeOther)
		return
	}
	st, err := s.begin(r.Context(), id, SessionOptions{ForceLogin: true})
	s.follow(w, r, id, st, err)
}

func (s *Server) remove(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("id"), r.PostForm.Get("key")
	fields, err := s.fields(r.Context(), id)
	if err == nil {
		if f, ok := fields[key]; !ok || !f.Secret {
			err = fmt.Errorf("%q is not a secret field of this plugin", key)
		}
	}
	if err == nil {
		err = s.o.Backend.RemoveSecret(r.Context(), id, key)
	}
	s.mu.Lock()
	f := s.flowLocked(id)
	if err != nil {
		f.result = &outcome{Title: "The secret was not removed", Message: s.mask(err.Error())}
	} else {
		f.result = &outcome{OK: true, Title: fields[key].Label + " removed from the secret store"}
	}
	s.mu.Unlock()
	s.changed()
	http.Redirect(w, r, s.base+PluginPath(id), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.o.Backend.Logout(r.Context(), id)
	s.mu.Lock()
	f := s.flowLocked(id)
	if err != nil {
		f.result = &outcome{Title: "The logout failed", Message: s.mask(err.Error())}
	} else {
		f.result = &outcome{OK: true, Title: "Logged out: the plugin's tokens were deleted"}
	}
	s.mu.Unlock()
	s.changed()
	http.Redirect(w, r, s.base+PluginPath(id), http.StatusSeeOther)
}

func (s *Server) cancelFlow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	f := s.flowLocked(id)
	sess := f.sess
	f.sess, f.step, f.waiting = nil, nil, false
	f.result = &outcome{Title: "The setup was cancelled; nothing was saved"}
	s.mu.Unlock()
	if sess != nil {
		sess.Close()
	}
	s.changed()
	http.Redirect(w, r, s.base+"/", http.StatusSeeOther)
}

// ------------------------------------------------------------ live updates

// live is one plugin in an update the page receives.
type live struct {
	ID     string   `json:"id"`
	State  string   `json:"state"`
	Class  string   `json:"class"`
	Reason string   `json:"reason,omitempty"`
	Status *Status  `json:"status,omitempty"`
	Logs   []string `json:"logs,omitempty"`
	Flow   string   `json:"flow,omitempty"` // "ask", "login", "wait" or ""
}

func (s *Server) snapshot() []byte {
	ps := s.o.Backend.Plugins()
	out := make([]live, 0, len(ps))
	s.mu.Lock()
	for _, p := range ps {
		l := live{ID: p.ID, State: p.State, Class: stateClass(p.State), Reason: p.Reason, Status: p.Status, Logs: p.Logs}
		if f, ok := s.flows[p.ID]; ok {
			switch {
			case f.waiting || f.busy:
				l.Flow = "wait"
			case f.step != nil:
				if _, ok := f.step.(*setup.Login); ok {
					l.Flow = "login"
				} else {
					l.Flow = "ask"
				}
			}
		}
		out = append(out, l)
	}
	s.mu.Unlock()
	b, _ := json.Marshal(out)
	return b
}

// events streams the plugins' states as server-sent events: one at once,
// then one after every change.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	send := func() bool {
		if _, err := fmt.Fprintf(w, "data: %s\n\n", s.snapshot()); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	if !send() {
		return
	}
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case _, open := <-ch:
			if !open || !send() {
				return
			}
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

// stateClass is the CSS class of a state's badge.
func stateClass(state string) string {
	switch state {
	case "active", "ready":
		return "ok"
	case "needs setup", "login needed":
		return "todo"
	case "error", "disabled":
		return "bad"
	default:
		return "busy"
	}
}

// ------------------------------------------------------------ callback

// callbackPage is the page the browser shows after the OAuth2 provider
// sent it back to host's loopback redirect: host's callback page (package
// ui) with the way back to this page, which shows the plugin set up.
func (s *Server) callbackPage(id string) func(http.ResponseWriter, oauth.CallbackResult) {
	return ui.CallbackPageBack(s.URL(PluginPath(id)))
}
