package setuppage

import (
	"context"
	"errors"
	"net/http"

	"host/bindings/setup"
)

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

func (s *Server) flowLocked(id string) *flow {
	f, ok := s.flows[id]
	if !ok {
		f = &flow{}
		s.flows[id] = f
	}
	return f
}

// begin starts a session for id and runs its first step. The flow then
// holds the session at an Ask or a Login; a Done or a Failure is recorded
// as the flow's result.
func (s *Server) begin(ctx context.Context, id string, o SessionOptions) (setup.Step, error) {
	p, _ := s.plugin(id)
	o.Flow.Name = p.Name
	o.Flow.Page = s.callbackPage(id)
	o.Back = s.URL(PluginPath(id))
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
		f.busy = true // until Activated returns: a page shown meanwhile waits for the result
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
		f.result, f.busy = res, false
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
