package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"host/bindings/oauth/oauthtest"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"encoding/pem"
)

// githubStandin answers the part of GitHub's REST API that
// plugins/github-issues uses, for one valid token: /user, paged issue
// listing with Link headers, issue creation, and /notifications with ETag
// revalidation.
type githubStandin struct {
	srv        *httptest.Server
	token      string
	created    atomic.Int64
	notifCalls atomic.Int64
	mu         sync.Mutex
	extra      []map[string]any // issues opened through the API, newest last
}

const githubToken = "fake-gh-token-0001"

func newGithubStandin() *githubStandin {
	g := &githubStandin{token: githubToken}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /user", g.auth(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"login": "octocat", "id": 1})
	}))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues", g.auth(g.issues))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues", g.auth(g.create))
	mux.HandleFunc("GET /notifications", g.auth(g.notifications))
	g.srv = httptest.NewUnstartedServer(mux)
	g.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	cert, err := oauthtest.SelfSigned("api.github.com")
	if err != nil {
		panic(err)
	}
	g.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	g.srv.StartTLS()
	return g
}

func (g *githubStandin) Close() { g.srv.Close() }

func (g *githubStandin) Addr() string { return g.srv.Listener.Addr().String() }

func (g *githubStandin) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: g.srv.TLS.Certificates[0].Leaf.Raw})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (g *githubStandin) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+g.token {
			writeJSON(w, 401, map[string]string{"message": "Bad credentials"})
			return
		}
		if r.Header.Get("X-GitHub-Api-Version") == "" {
			writeJSON(w, 400, map[string]string{"message": "missing X-GitHub-Api-Version"})
			return
		}
		h(w, r)
	}
}

// The repository has issues 1..7, issue n last updated on 2026-01-0n at
// midnight UTC, and those opened through the API (updated when opened); 4 is
// a pull request; 6 and 7 are closed; 2 and 5 carry the label "bug". Like
// GitHub's, since= keeps the issues updated at or after that time.
func (g *githubStandin) issues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	var all []map[string]any
	for n := 1; n <= 7; n++ {
		st := "open"
		if n >= 6 {
			st = "closed"
		}
		if state != "all" && st != state {
			continue
		}
		labels := []map[string]string{}
		if n == 2 || n == 5 {
			labels = append(labels, map[string]string{"name": "bug"})
		}
		if l := q.Get("labels"); l != "" && !(l == "bug" && len(labels) > 0) {
			continue
		}
		it := map[string]any{"number": n, "title": fmt.Sprintf("Issue %d", n), "state": st, "labels": labels,
			"updated_at": fmt.Sprintf("2026-01-%02dT00:00:00Z", n), "user": map[string]string{"login": "octocat"}}
		if n == 4 {
			it["pull_request"] = map[string]string{"url": "https://api.github.com/pulls/4"}
		}
		all = append(all, it)
	}
	g.mu.Lock()
	if state != "closed" && q.Get("labels") == "" {
		all = append(all, g.extra...)
	}
	g.mu.Unlock()
	if since := q.Get("since"); since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			writeJSON(w, 422, map[string]string{"message": "since: not an ISO 8601 time"})
			return
		}
		kept := all[:0]
		for _, it := range all {
			if u, _ := time.Parse(time.RFC3339, it["updated_at"].(string)); !u.Before(t) {
				kept = append(kept, it)
			}
		}
		all = kept
	}
	start := (page - 1) * perPage
	end := min(start+perPage, len(all))
	if start > len(all) {
		start = len(all)
	}
	if end < len(all) {
		nq := r.URL.Query()
		nq.Set("page", strconv.Itoa(page+1))
		w.Header().Set("Link", fmt.Sprintf(`<https://api.github.com%s?%s>; rel="next", <https://api.github.com%s?page=99>; rel="last"`, r.URL.Path, nq.Encode(), r.URL.Path))
	}
	writeJSON(w, 200, all[start:end])
}

func (g *githubStandin) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Title  string   `json:"title"`
		Labels []string `json:"labels"`
	}
	if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&in) != nil || strings.TrimSpace(in.Title) == "" {
		writeJSON(w, 422, map[string]string{"message": "Validation Failed"})
		return
	}
	n := 100 + g.created.Add(1)
	labels := []map[string]string{}
	for _, l := range in.Labels {
		labels = append(labels, map[string]string{"name": l})
	}
	g.mu.Lock()
	g.extra = append(g.extra, map[string]any{"number": n, "title": in.Title, "state": "open", "labels": labels,
		"updated_at": time.Now().UTC().Format(time.RFC3339), "user": map[string]string{"login": "octocat"}})
	g.mu.Unlock()
	writeJSON(w, 201, map[string]any{"number": n, "title": in.Title,
		"html_url": fmt.Sprintf("https://github.com/%s/%s/issues/%d", r.PathValue("owner"), r.PathValue("repo"), n)})
}

func (g *githubStandin) notifications(w http.ResponseWriter, r *http.Request) {
	g.notifCalls.Add(1)
	const etag = `W/"notif-v1"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	writeJSON(w, 200, []map[string]any{
		{"id": "n1", "subject": map[string]string{"title": "Issue 2 was reopened"}},
		{"id": "n2", "subject": map[string]string{"title": "New comment on issue 5"}},
	})
}
