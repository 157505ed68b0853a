package authserver

// The authorization endpoint: the request checked, the consent page, the
// user's proof, the redirect back with a one-time code.

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"host/cmd/host/internal/mcpauth"
	"host/cmd/host/internal/ui"
)

// consent is an authorization request waiting for the user.
type consent struct {
	id, csrf     string
	proof        string // the one-time code the serve printed
	client       *Client
	redirectURI  string
	state        string
	challenge    string
	scope        string
	resource     string
	issuer       string
	expires      time.Time
	tries        int
	redirectHost string
}

// authorize is the authorization endpoint: GET shows the consent page, POST
// is the user's answer.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.authorizeRequest(w, r)
	case http.MethodPost:
		s.authorizeAnswer(w, r)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// errorPage shows a problem the client cannot be told about (its identity
// or redirect URI is not established).
func errorPage(w http.ResponseWriter, status int, title, line string) {
	ui.Render(w, status, ui.Page{Title: title, Tone: ui.ToneError, Outcome: "refused", Lines: []string{line},
		Next: "Return to the AI client and connect again; if this keeps happening, the client's OAuth support does not fit host's."})
}

// redirectError sends the user back to the client with an OAuth error.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state, iss, code, desc string) {
	u, _ := url.Parse(redirectURI)
	q := u.Query()
	q.Set("error", code)
	q.Set("error_description", desc)
	if state != "" {
		q.Set("state", state)
	}
	q.Set("iss", iss)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

func (s *Server) authorizeRequest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, p := range []string{"client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "response_type", "resource", "scope"} {
		if len(q[p]) > 1 {
			errorPage(w, http.StatusBadRequest, "Request refused", fmt.Sprintf("The authorization request repeats %s.", p))
			return
		}
	}
	ctx := r.Context()
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	var client *Client
	var err error
	switch {
	case clientID == "":
		errorPage(w, http.StatusBadRequest, "Request refused", "The authorization request names no client (client_id).")
		return
	case isMetadataClientID(clientID):
		client, err = s.fetchMetadataClient(ctx, clientID)
		if err != nil {
			errorPage(w, http.StatusBadRequest, "Client not accepted", "host could not accept this client's identity: "+err.Error()+".")
			return
		}
	default:
		if client, err = s.o.Store.client(ctx, clientID); err != nil {
			status, _, desc := s.dbFailure(err)
			errorPage(w, status, "Try again", desc+".")
			return
		}
		if client == nil {
			errorPage(w, http.StatusBadRequest, "Unknown client", "host does not know this client: it never registered, or it was revoked (host clients revoke). The client has to register again.")
			return
		}
	}
	if redirectURI == "" && len(client.RedirectURIs) == 1 {
		redirectURI = client.RedirectURIs[0]
	}
	if !matchRedirect(client.RedirectURIs, redirectURI) {
		errorPage(w, http.StatusBadRequest, "Request refused", "The redirect URI is not one this client registered, so host will not send a code there.")
		return
	}
	iss := mcpauth.Origin(r)
	state := q.Get("state")
	fail := func(code, desc string) { redirectError(w, r, redirectURI, state, iss, code, desc) }
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "host supports response_type=code only")
		return
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		fail("invalid_request", "PKCE with code_challenge_method=S256 is required")
		return
	}
	if len(q.Get("code_challenge")) < 43 || len(q.Get("code_challenge")) > 128 {
		fail("invalid_request", "code_challenge must be a base64url SHA-256 (43 characters)")
		return
	}
	resource := mcpauth.Origin(r) + s.o.ResourcePath
	if res := q.Get("resource"); res != "" && res != resource {
		fail("invalid_target", "this authorization server issues tokens only for "+resource)
		return
	}
	c := &consent{
		id: randomString(16), csrf: randomString(16), proof: proofCode(),
		client: client, redirectURI: redirectURI, state: state, challenge: q.Get("code_challenge"),
		scope: s.o.Scope, resource: resource, issuer: iss, expires: s.now().Add(ConsentTTL),
	}
	if u, err := url.Parse(redirectURI); err == nil {
		c.redirectHost = u.Host
		if c.redirectHost == "" {
			c.redirectHost = u.Scheme + ":"
		}
	}
	if !s.addPending(c) {
		errorPage(w, http.StatusTooManyRequests, "Too many requests", fmt.Sprintf("%d authorization requests are waiting already; finish or close them, or wait %s.", maxPending, ConsentTTL))
		return
	}
	if s.o.Say != nil {
		s.o.Say(fmt.Sprintf("host: MCP client %q asks to use the plugins' tools (it returns to %s); to approve it, enter %s on its page", client.Name, c.redirectHost, c.proof))
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName(c.id), Value: c.csrf, Path: AuthorizePath, HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: strings.HasPrefix(iss, "https://"), MaxAge: int(ConsentTTL.Seconds())})
	s.renderConsent(w, http.StatusOK, c, "")
}

func cookieName(id string) string { return "host_consent_" + id[:8] }

// proofCode is a one-time code for the user to type: 8 characters of an
// alphabet without look-alikes (40 bits), shown as XXXX-XXXX.
func proofCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// normalizeProof is what the user typed, as proofCode writes it.
func normalizeProof(v string) string {
	v = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(v)))
	if len(v) == 8 {
		return v[:4] + "-" + v[4:]
	}
	return v
}

func (s *Server) addPending(c *consent) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, p := range s.pending {
		if now.After(p.expires) {
			delete(s.pending, id)
		}
	}
	if len(s.pending) >= maxPending {
		return false
	}
	s.pending[c.id] = c
	return true
}

func (s *Server) authorizeAnswer(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest, "Request refused", "The form could not be read.")
		return
	}
	id := r.PostForm.Get("request")
	s.mu.Lock()
	c := s.pending[id]
	if c != nil && s.now().After(c.expires) {
		delete(s.pending, id)
		c = nil
	}
	s.mu.Unlock()
	if c == nil || len(id) < 8 {
		errorPage(w, http.StatusBadRequest, "Request expired", "This authorization request is no longer waiting (it was answered, or it expired after "+ConsentTTL.String()+"). Connect again from the AI client.")
		return
	}
	ck, err := r.Cookie(cookieName(id))
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.csrf)) != 1 || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(c.csrf)) != 1 {
		errorPage(w, http.StatusForbidden, "Request refused", "This answer did not come from the page host showed (the form's check does not match).")
		return
	}
	if r.PostForm.Get("action") == "deny" {
		s.drop(id)
		redirectError(w, r, c.redirectURI, c.state, c.issuer, "access_denied", "the user denied access")
		return
	}
	if !s.proofMatches(c, r.PostForm.Get("code")) {
		s.mu.Lock()
		c.tries++
		over := c.tries >= maxTries
		if over {
			delete(s.pending, id)
		}
		s.mu.Unlock()
		if over {
			errorPage(w, http.StatusForbidden, "Too many wrong codes", fmt.Sprintf("%d wrong codes: this request is closed. Connect again from the AI client; host prints a new code.", maxTries))
			return
		}
		s.renderConsent(w, http.StatusOK, c, "That is not the code host printed for this request. Look at the terminal where host serve runs.")
		return
	}
	s.drop(id)
	ctx := r.Context()
	grantID, err := s.o.Store.grant(ctx, c.client.ID, c.scope, c.resource)
	if err != nil {
		_, code, desc := s.dbFailure(err)
		redirectError(w, r, c.redirectURI, c.state, c.issuer, code, desc)
		return
	}
	code, err := s.o.Store.issue(ctx, s.o.Store.db, "code", grantID, CodeTTL, c.redirectURI, c.challenge)
	if err != nil {
		_, code, desc := s.dbFailure(err)
		redirectError(w, r, c.redirectURI, c.state, c.issuer, code, desc)
		return
	}
	if s.o.Say != nil {
		s.o.Say(fmt.Sprintf("host: MCP client %q approved (revoke it with: host clients revoke %s)", c.client.Name, c.client.ID))
	}
	u, _ := url.Parse(c.redirectURI)
	q := u.Query()
	q.Set("code", code)
	if c.state != "" {
		q.Set("state", c.state)
	}
	q.Set("iss", c.issuer)
	u.RawQuery = q.Encode()
	http.SetCookie(w, &http.Cookie{Name: cookieName(id), Path: AuthorizePath, MaxAge: -1})
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// proofMatches reports whether typed is the request's one-time code or
// the serve's static token.
func (s *Server) proofMatches(c *consent, typed string) bool {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return false
	}
	if s.o.StaticToken != "" && subtle.ConstantTimeCompare([]byte(typed), []byte(s.o.StaticToken)) == 1 {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(normalizeProof(typed)), []byte(c.proof)) == 1
}

func (s *Server) drop(id string) {
	s.mu.Lock()
	delete(s.pending, id)
	s.mu.Unlock()
}

// consentTmpl is parsed on first use (package init runs for every command).
var consentTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>host: allow {{.Name}}?</title>
<style>{{.CSS}}{{.Extra}}</style>
</head>
<body>
<main>
<p class="brand">host</p>
<section class="card info" id="consent" data-outcome="consent">
<h1>Allow <span id="client">{{.Name}}</span> to use host?</h1>
<p>This MCP client asks to call the tools of the plugins <code>host serve</code> runs, as you, until you revoke it (<code>host clients revoke</code>).</p>
<p>{{if .Metadata}}Its identity is published by <strong id="vouch">{{.Vouch}}</strong>.{{else}}It registered itself: its name is only what it says it is.{{end}}
After you approve, your browser returns to <strong id="returns">{{.Returns}}</strong>.</p>
{{if .Problem}}<p class="problem" id="problem" role="alert">{{.Problem}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="request" value="{{.ID}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<p><label for="code">The code host printed in its terminal for this request (or host's MCP token):</label></p>
<p><input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" autofocus></p>
<p class="buttons"><button id="approve" type="submit" name="action" value="approve">Approve</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button></p>
</form>
</section>
</main>
</body>
</html>
`))
})

// consentCSS is what the consent page adds to host's look: the form.
const consentCSS = `
form p{margin:.6rem 0}
input[type=text]{font:inherit;font-family:ui-monospace,monospace;padding:.45rem .6rem;border:1px solid #888;border-radius:6px;width:14rem;max-width:100%;letter-spacing:.08em}
.buttons button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid #888;margin-right:.5rem;cursor:pointer}
#approve{background:#1f6feb;color:#fff;border-color:#1f6feb}
.problem{color:#b42318;font-weight:600}
code{font-family:ui-monospace,monospace}
`

func (s *Server) renderConsent(w http.ResponseWriter, status int, c *consent, problem string) {
	style := ui.CSS() + consentCSS
	sum := sha256.Sum256([]byte(style))
	formAction := "'self'"
	if u, err := url.Parse(c.redirectURI); err == nil {
		if u.Host != "" {
			formAction += " " + u.Scheme + "://" + u.Host
		} else {
			formAction += " " + u.Scheme + ":"
		}
	}
	ui.Headers(w.Header())
	// The form posts here; after it the browser follows the redirect to
	// the client, which form-action must allow too.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'; base-uri 'none'; form-action "+formAction+"; frame-ancestors 'none'")
	w.WriteHeader(status)
	vouch := ""
	if u, err := url.Parse(c.client.ID); err == nil {
		vouch = u.Host
	}
	_ = consentTmpl().Execute(w, map[string]any{
		"CSS": template.CSS(ui.CSS()), "Extra": template.CSS(consentCSS),
		"Name": c.client.Name, "Metadata": c.client.Kind == KindMetadata, "Vouch": vouch,
		"Returns": c.redirectHost, "Problem": problem, "Action": AuthorizePath, "ID": c.id, "CSRF": c.csrf,
	})
}
