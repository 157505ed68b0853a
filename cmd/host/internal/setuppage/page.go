package setuppage

import (
	"fmt"
	"net/http"
	"sort"

	"host/bindings/setup"
)

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	ps := s.o.Backend.Plugins()
	s.render(w, http.StatusOK, "index", map[string]any{"Plugins": ps, "CSRF": browserOf(r).csrf, "Codes": s.sess.codes(), "Packages": s.packagesOf(r)})
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

	if step == nil && !waiting && (p.State == setup.NeedsSetup || p.State == setup.NeedsLogin) {
		// An installed plugin's first setup: what it asks for first.
		if sum := s.consentFor(r.Context(), id); sum != nil {
			s.render(w, http.StatusOK, "consent", map[string]any{"Plugin": p, "Summary": sum, "CSRF": browserOf(r).csrf})
			return
		}
	}
	if step == nil && !waiting && p.State == setup.NeedsSetup {
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
