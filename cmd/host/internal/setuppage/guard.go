package setuppage

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

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
				s.problem(w, http.StatusForbidden, usedLinkTitle, usedLinkText)
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
		s.problem(w, http.StatusForbidden, usedLinkTitle, usedLinkText)
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
