package setuppage

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"host/cmd/host/internal/pkgstore"
)

// Packages is what the page does with the installed plugins (package
// pkgstore; host install): the list page shows them with Update, Disable
// (or Enable) and Remove, and a plugin's page shows what it asks for (its
// install consent) before its first setup. Only a session of the whole
// page (not a link to one plugin) may change them. Methods may be called
// from many goroutines.
type Packages interface {
	// List is the installed and linked plugins, by id.
	List() ([]*pkgstore.Record, error)
	// PrepareUpdate stages the newest version within the plugin's range;
	// nil when it is up to date. The caller commits or discards it.
	PrepareUpdate(ctx context.Context, id string) (*pkgstore.Plan, error)
	// CommitUpdate installs a staged update and restarts the plugin where
	// it runs.
	CommitUpdate(ctx context.Context, plan *pkgstore.Plan) (*pkgstore.Record, error)
	// SetEnabled enables or disables the plugin, and starts or stops it
	// where it runs; note says what happened beyond the change ("" or,
	// e.g., when it starts).
	SetEnabled(ctx context.Context, id string, on bool) (note string, err error)
	// Remove stops the plugin and removes it with its config, store,
	// inbox and secrets (host remove).
	Remove(ctx context.Context, id string) error
}

// SetPackages gives the page the installed plugins to manage (nil: none).
func (s *Server) SetPackages(p Packages) {
	s.mu.Lock()
	s.pkgs = p
	s.mu.Unlock()
}

func (s *Server) packages() Packages {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pkgs
}

// installedView is one installed plugin on the list page.
type installedView struct {
	*pkgstore.Record
	Summary *pkgstore.Summary
}

// packagesView is the list page's part on installed plugins.
type packagesView struct {
	Installed []installedView
	Result    *outcome
	// Update: an update waiting for the user's consent (its permissions
	// grew); Remove: the plugin whose removal waits for confirmation.
	Update *pkgstore.Summary
	Remove *pkgstore.Record
	Error  string
	CSRF   string
}

// packagesOf is the list page's installed plugins, the last action's
// result (shown once) and what waits for the user (query confirm).
func (s *Server) packagesOf(r *http.Request) *packagesView {
	p := s.packages()
	if p == nil {
		return nil
	}
	v := &packagesView{CSRF: browserOf(r).csrf}
	list, err := p.List()
	if err != nil {
		v.Error = s.mask(err.Error())
	}
	for _, rec := range list {
		v.Installed = append(v.Installed, installedView{Record: rec, Summary: pkgstore.SummaryOf(rec)})
	}
	s.mu.Lock()
	v.Result, s.pkgResult = s.pkgResult, nil
	if id := r.URL.Query().Get("update"); id != "" {
		if plan := s.pkgUpdates[id]; plan != nil {
			v.Update = plan.Summary
		}
	}
	s.mu.Unlock()
	if id := r.URL.Query().Get("remove"); id != "" {
		for _, rec := range list {
			if rec.ID == id {
				v.Remove = rec
			}
		}
	}
	return v
}

// pkgDone records an action's result for the list page and goes there.
func (s *Server) pkgDone(w http.ResponseWriter, r *http.Request, res *outcome) {
	s.mu.Lock()
	s.pkgResult = res
	s.mu.Unlock()
	s.changed()
	http.Redirect(w, r, s.base+"/#installed", http.StatusSeeOther)
}

// pkgAction is the installed plugin an action names, or an answer saying
// why there is none.
func (s *Server) pkgAction(w http.ResponseWriter, r *http.Request) (Packages, *pkgstore.Record, bool) {
	p := s.packages()
	if p == nil {
		s.problem(w, http.StatusNotFound, "No installed plugins here", "This page does not manage installed plugins.")
		return nil, nil, false
	}
	id := r.PathValue("id")
	list, err := p.List()
	if err == nil {
		for _, rec := range list {
			if rec.ID == id {
				return p, rec, true
			}
		}
		err = &pkgstore.NotInstalledError{ID: id}
	}
	s.pkgDone(w, r, &outcome{Title: "Nothing was changed", Message: s.mask(err.Error())})
	return nil, nil, false
}

// updatePkg is "Update": the newest version within the plugin's range,
// at once when it asks for no new permissions, else after the user saw
// which (confirmUpdate).
func (s *Server) updatePkg(w http.ResponseWriter, r *http.Request) {
	p, rec, ok := s.pkgAction(w, r)
	if !ok {
		return
	}
	plan, err := p.PrepareUpdate(r.Context(), rec.ID)
	switch {
	case err != nil:
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not updated", Message: s.mask(err.Error())})
		return
	case plan == nil:
		s.pkgDone(w, r, &outcome{OK: true, Title: fmt.Sprintf("%s %s is up to date", rec.ID, rec.Version)})
		return
	case plan.Summary.NeedsConsent():
		s.mu.Lock()
		if old := s.pkgUpdates[rec.ID]; old != nil {
			old.Discard()
		}
		if s.pkgUpdates == nil {
			s.pkgUpdates = map[string]*pkgstore.Plan{}
		}
		s.pkgUpdates[rec.ID] = plan
		s.mu.Unlock()
		http.Redirect(w, r, s.base+"/?update="+url.QueryEscape(rec.ID)+"#consent", http.StatusSeeOther)
		return
	}
	s.commitUpdate(w, r, p, rec, plan)
}

func (s *Server) commitUpdate(w http.ResponseWriter, r *http.Request, p Packages, rec *pkgstore.Record, plan *pkgstore.Plan) {
	nr, err := p.CommitUpdate(r.Context(), plan)
	if err != nil {
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not updated", Message: s.mask(err.Error())})
		return
	}
	res := &outcome{OK: true, Title: fmt.Sprintf("Updated %s from %s to %s", nr.ID, rec.Version, nr.Version)}
	if u := plan.Summary.Update; u != nil && u.Changelog != "" {
		res.Message = "Changelog: " + s.mask(u.Changelog)
	}
	s.pkgDone(w, r, res)
}

// confirmUpdate takes (answer=yes) or drops the update waiting for
// consent.
func (s *Server) confirmUpdate(w http.ResponseWriter, r *http.Request) {
	p, rec, ok := s.pkgAction(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	plan := s.pkgUpdates[rec.ID]
	delete(s.pkgUpdates, rec.ID)
	s.mu.Unlock()
	if plan == nil {
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not updated", Message: "The update is no longer waiting: press Update again."})
		return
	}
	if r.PostForm.Get("answer") != "yes" {
		plan.Discard()
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not updated: you declined its new permissions"})
		return
	}
	s.commitUpdate(w, r, p, rec, plan)
}

// enablePkg is "Disable" and "Enable" (on=1).
func (s *Server) enablePkg(w http.ResponseWriter, r *http.Request) {
	p, rec, ok := s.pkgAction(w, r)
	if !ok {
		return
	}
	on := r.PostForm.Get("on") == "1"
	note, err := p.SetEnabled(r.Context(), rec.ID, on)
	word := map[bool]string{true: "enabled", false: "disabled"}[on]
	if err != nil {
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not " + word, Message: s.mask(err.Error())})
		return
	}
	s.pkgDone(w, r, &outcome{OK: true, Title: rec.ID + " is " + word, Message: note})
}

// removePkg is "Remove" after its confirmation (answer=yes).
func (s *Server) removePkg(w http.ResponseWriter, r *http.Request) {
	p, rec, ok := s.pkgAction(w, r)
	if !ok {
		return
	}
	if r.PostForm.Get("answer") != "yes" {
		http.Redirect(w, r, s.base+"/?remove="+url.QueryEscape(rec.ID)+"#confirm", http.StatusSeeOther)
		return
	}
	if err := p.Remove(r.Context(), rec.ID); err != nil {
		s.pkgDone(w, r, &outcome{Title: rec.ID + " was not removed", Message: s.mask(err.Error())})
		return
	}
	s.mu.Lock()
	delete(s.consented, rec.ID)
	s.mu.Unlock()
	s.pkgDone(w, r, &outcome{OK: true, Title: "Removed " + rec.ID + " with its config, data, store and secrets"})
}

// consentFor is the install consent plugin id's page shows before its
// first setup: nil when the plugin is not installed, was set up before
// (a value is saved), or the user has seen it here.
func (s *Server) consentFor(ctx context.Context, id string) *pkgstore.Summary {
	p := s.packages()
	if p == nil {
		return nil
	}
	s.mu.Lock()
	seen := s.consented[id]
	s.mu.Unlock()
	if seen {
		return nil
	}
	list, err := p.List()
	if err != nil {
		return nil
	}
	i := slices.IndexFunc(list, func(r *pkgstore.Record) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	fields, err := s.o.Backend.Fields(ctx, id)
	if err != nil {
		return nil
	}
	for _, f := range fields {
		if f.Saved {
			return nil
		}
	}
	return pkgstore.SummaryOf(list[i])
}

// consent is "Continue to setup" under the consent: the setup starts.
func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	if s.consented == nil {
		s.consented = map[string]bool{}
	}
	s.consented[id] = true
	s.mu.Unlock()
	http.Redirect(w, r, s.base+PluginPath(id), http.StatusSeeOther)
}

// packageRoutes are the installed plugins' actions (POSTs: the guard
// checks their origin and CSRF token; a session scoped to one plugin
// reaches none of /packages/).
func (s *Server) packageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /packages/{id}/update", s.updatePkg)
	mux.HandleFunc("POST /packages/{id}/update/confirm", s.confirmUpdate)
	mux.HandleFunc("POST /packages/{id}/enable", s.enablePkg)
	mux.HandleFunc("POST /packages/{id}/remove", s.removePkg)
	mux.HandleFunc("POST /setup/{id}/consent", s.consent)
}
