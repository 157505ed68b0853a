package setuppage

import (
	"context"
	"net/url"
	"time"
)

// WaitSpent returns once the one-time token of link (from Link) has been
// exchanged, or has expired, or is unknown, or when ctx ends: a command
// that handed the link to a browser through a file (cmdutil's
// BrowserPrivate) removes the file then.
func (s *Server) WaitSpent(ctx context.Context, link string) {
	u, err := url.Parse(link)
	if err != nil {
		return
	}
	token := u.Query().Get("token")
	ss := s.sess
	ss.mu.Lock()
	ot, ok := ss.tokens[token]
	if !ok {
		ss.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	if ss.spent == nil {
		ss.spent = map[string][]chan struct{}{}
	}
	ss.spent[token] = append(ss.spent[token], ch)
	left := ot.expires.Sub(ss.now())
	ss.mu.Unlock()
	t := time.NewTimer(left)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-ctx.Done():
	}
	ss.mu.Lock()
	ws := ss.spent[token]
	for i, c := range ws {
		if c == ch {
			ss.spent[token] = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ss.spent[token]) == 0 {
		delete(ss.spent, token)
	}
	ss.mu.Unlock()
}

// tellSpentLocked tells WaitSpent that token is spent. s.mu is held.
func (s *sessions) tellSpentLocked(token string) {
	for _, ch := range s.spent[token] {
		close(ch)
	}
	delete(s.spent, token)
}

// What a used or expired link shows: how to get a fresh one, never the
// spent link itself.
const (
	usedLinkTitle = "This link was used already or has expired"
	usedLinkText  = "A setup link works once, within 15 minutes (a link that asks for a code, for five tries). " +
		"For a fresh link to this page while `host serve` runs, run `host setup --browser` (no plugin named): it prints one and opens it; `host status` says so too. " +
		"Without a running serve, `host setup --browser` opens a page of the installed plugins, and `host setup PLUGIN --browser` one for that plugin."
)
