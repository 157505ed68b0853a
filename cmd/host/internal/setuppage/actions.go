package setuppage

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"host/bindings/setup"
)

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
