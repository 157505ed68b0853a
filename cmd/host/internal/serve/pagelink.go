package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
)

// The setup page's links over the control channel: a running serve with a
// setup page gives `host setup --browser` (no plugin) a fresh one-time
// link to it, and tells `host status` that it has one. Only the user
// reaches the control channel (see Listen), so only the user gets a link.
//
//	GET  /page                 -> {page: bool}
//	POST /page-link            -> {link}; "no page" error without a page
//	POST /page-link/spent {link} -> {} once the link was opened (or expired)

// PageLinks is what the serve's setup page offers the control channel.
type PageLinks interface {
	// Link is a fresh one-time link to the page's list of plugins.
	Link() string
	// WaitSpent returns once link was opened (or can no longer be), or
	// when ctx ends.
	WaitSpent(ctx context.Context, link string)
}

// pageLinks holds the serve's page, set while it runs.
type pageLinks struct {
	mu sync.Mutex
	p  PageLinks
}

// SetPage tells the control channel about the serve's setup page (nil: it
// has none, or no longer).
func (s *Supervisor) SetPage(p PageLinks) {
	s.page.mu.Lock()
	s.page.p = p
	s.page.mu.Unlock()
}

func (s *Supervisor) pageOf() PageLinks {
	s.page.mu.Lock()
	defer s.page.mu.Unlock()
	return s.page.p
}

// noPage is the error of a link asked of a serve without a setup page.
var noPage = &RemoteError{Kind: "no page", Message: "the running serve has no setup page (it was started with --page off)"}

func (s *Supervisor) pageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"page": s.pageOf() != nil})
	})
	mux.HandleFunc("POST /page-link", func(w http.ResponseWriter, r *http.Request) {
		p := s.pageOf()
		if p == nil {
			writeErr(w, noPage)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"link": p.Link()})
	})
	mux.HandleFunc("POST /page-link/spent", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Link string `json:"link"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeErr(w, &RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		if p := s.pageOf(); p != nil {
			p.WaitSpent(r.Context(), req.Link)
		}
		writeJSON(w, http.StatusOK, struct{}{})
	})
}

// HasPage reports whether the serve has a setup page.
func (c *Client) HasPage(ctx context.Context) (bool, error) {
	var out struct {
		Page bool `json:"page"`
	}
	err := c.do(ctx, "GET", "/page", nil, &out)
	return out.Page, err
}

// PageLink is a fresh one-time link to the serve's setup page; a
// *RemoteError of kind "no page" when it has none.
func (c *Client) PageLink(ctx context.Context) (string, error) {
	var out struct {
		Link string `json:"link"`
	}
	err := c.do(ctx, "POST", "/page-link", nil, &out)
	return out.Link, err
}

// WaitPageLinkSpent returns once link (from PageLink) was opened or
// expired, or ctx ended.
func (c *Client) WaitPageLinkSpent(ctx context.Context, link string) error {
	var out struct{}
	return c.do(ctx, "POST", "/page-link/spent", map[string]string{"link": link}, &out)
}
