package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"host/jsrt"
)

// Permissions are what a plugin declared it needs, in the SDK's strings
// (definePlugin({ permissions }) and package.json "hivemind".permissions
// together), read with the SDK's meaning: a category the plugin declares
// is enforced, one it does not declare is allowed (as the SDK's own host
// does), unless the user turned on strict mode (see StrictFile), where an
// undeclared category is denied.
//
//	network:HOST        fetch to HOST (any port); network:HOST:PORT one port;
//	                    network:*.example.com its subdomains; network:* any host
//	secrets:read        ctx.secrets.get/has
//	secrets:write       ctx.secrets.set/delete
//	loop:background     the loop and ctx.schedule
//	filesystem:read     ctx.dataDir reads; filesystem:write reads and writes;
//	filesystem:<path>   the SDK's form: host gives a plugin only its data
//	                    directory, so this is filesystem:write
//
// The plugin's own OAuth URLs (authorizationUrl, tokenUrl,
// deviceAuthorizationUrl) are allowed by exactly their scheme, host and
// port, whatever network is declared.
type Permissions struct {
	// Declared is true when the plugin lists permissions at all (an empty
	// list included).
	Declared bool
	List     []string // as declared, duplicates dropped
	// Strict is the user's strict mode for this plugin: undeclared
	// categories are denied.
	Strict bool
	// OAuth are the origins of the plugin's OAuth URLs
	// ("https://github.com:443"), allowed besides the declared network.
	OAuth []string
}

// Permission categories, the part before the colon.
const (
	catNetwork    = "network"
	catSecrets    = "secrets"
	catLoop       = "loop"
	catFilesystem = "filesystem"
)

var categories = []string{catNetwork, catSecrets, catLoop, catFilesystem}

// checkPermission reports what is odd about one declared permission (a
// warning: the SDK accepts any string) and the form host reads it as.
func checkPermission(s string) (use, warning string) {
	switch s {
	case "secrets:read", "secrets:write", "loop:background", "filesystem:read", "filesystem:write":
		return s, ""
	}
	cat, rest, _ := strings.Cut(s, ":")
	switch cat {
	case catNetwork:
		if rest == "" {
			return s, fmt.Sprintf("%q names no host; write network:HOST, e.g. network:api.github.com (the plugin gets no network until it does)", s)
		}
		if strings.ContainsAny(rest, "/?#@ ") {
			if u, err := url.Parse(rest); err == nil && u.Host != "" && u.User == nil {
				h := strings.ToLower(u.Host)
				return "network:" + h, fmt.Sprintf("%q is read as %q; write network:HOST (no scheme or path)", s, "network:"+h)
			}
			return s, fmt.Sprintf("%q is not a host; write network:HOST, e.g. network:api.github.com (no scheme or path)", s)
		}
		return s, ""
	case catFilesystem:
		if rest == "" {
			return s, fmt.Sprintf("%q names no path; write filesystem:read or filesystem:write (its data directory)", s)
		}
		return s, "" // the SDK's filesystem:<path>
	case catSecrets, catLoop:
		return s, fmt.Sprintf("%q is not a known %s permission (known: secrets:read, secrets:write, loop:background); it declares the %s category, which then allows nothing else", s, cat, cat)
	}
	return s, fmt.Sprintf("%q is not a known permission and is ignored; known: network:HOST, secrets:read, secrets:write, loop:background, filesystem:read, filesystem:write, filesystem:<path>", s)
}

// declares reports whether the plugin lists any permission of category cat.
func (ps Permissions) declares(cat string) bool {
	for _, p := range ps.List {
		if strings.HasPrefix(p, cat+":") {
			return true
		}
	}
	return false
}

// undeclaredAllowed reports whether cat is allowed because the plugin does
// not declare it (and strict mode is off).
func (ps Permissions) undeclaredAllowed(cat string) bool {
	return !ps.Strict && !ps.declares(cat)
}

// Allows reports whether the plugin may use what perm names
// ("secrets:write", "loop:background", "filesystem:read"...).
func (ps Permissions) Allows(perm string) bool {
	cat, _, _ := strings.Cut(perm, ":")
	if ps.undeclaredAllowed(cat) || slices.Contains(ps.List, perm) {
		return true
	}
	if cat == catFilesystem {
		for _, p := range ps.List {
			if p == "filesystem:write" && perm == "filesystem:read" || isFilesystemPath(p) {
				return true
			}
		}
	}
	return false
}

// isFilesystemPath reports whether p is the SDK's filesystem:<path>.
func isFilesystemPath(p string) bool {
	rest, ok := strings.CutPrefix(p, "filesystem:")
	return ok && rest != "" && rest != "read" && rest != "write"
}

// allowsURL reports whether network access to scheme://host:port is
// allowed.
func (ps Permissions) allowsURL(scheme, host, port string) bool {
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	scheme = strings.ToLower(scheme)
	if slices.Contains(ps.OAuth, origin(scheme, host, port)) {
		return true
	}
	if ps.undeclaredAllowed(catNetwork) {
		return true
	}
	for _, p := range ps.List {
		pat, ok := strings.CutPrefix(p, "network:")
		if !ok {
			continue
		}
		pat = strings.ToLower(pat)
		if pat == "*" {
			return true
		}
		ph, pp := pat, ""
		if h, port, err := net.SplitHostPort(pat); err == nil {
			ph, pp = h, port
		}
		ph = strings.Trim(ph, "[]")
		if pp != "" && pp != port {
			continue
		}
		if ph == host {
			return true
		}
		if sub, ok := strings.CutPrefix(ph, "*."); ok && strings.HasSuffix(host, "."+sub) && net.ParseIP(host) == nil {
			return true
		}
	}
	return false
}

// origin is "scheme://host:port" with an IPv6 host in brackets.
func origin(scheme, host, port string) string {
	return scheme + "://" + net.JoinHostPort(host, port)
}

// defaultPort is the port of a URL that names none.
func defaultPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// Summary is the plugin's permissions in plain words, one line per
// category, saying plainly what an undeclared category allows:
//
//	network: any host (not declared)
//	secrets: read
//	loop: background work allowed (not declared)
//	files: its data directory, read and write
//	OAuth: https://github.com:443, https://api.github.com:443
func (ps Permissions) Summary() []string {
	var out []string
	for _, cat := range categories {
		var vals []string
		for _, p := range ps.List {
			if v, ok := strings.CutPrefix(p, cat+":"); ok {
				vals = append(vals, v)
			}
		}
		name := cat
		if cat == catFilesystem {
			name = "files"
		}
		var text string
		switch {
		case len(vals) > 0 && cat == catFilesystem:
			text = "its data directory, read only"
			if ps.Allows("filesystem:write") {
				text = "its data directory, read and write"
			}
			for _, v := range vals {
				if isFilesystemPath("filesystem:" + v) {
					text += fmt.Sprintf(" (declared filesystem:%s; host gives a plugin only its data directory)", v)
					break
				}
			}
		case len(vals) > 0:
			text = strings.Join(vals, ", ")
		case ps.Strict:
			text = "none (not declared; strict mode)"
			if cat == catNetwork && len(ps.OAuth) > 0 {
				text = "only its OAuth URLs (not declared; strict mode)"
			}
		default:
			text = map[string]string{
				catNetwork:    "any host (not declared)",
				catSecrets:    "read and write (not declared)",
				catLoop:       "background work allowed (not declared)",
				catFilesystem: "its data directory, read and write (not declared)",
			}[cat]
		}
		out = append(out, name+": "+text)
	}
	if len(ps.OAuth) > 0 {
		out = append(out, "OAuth: "+strings.Join(ps.OAuth, ", "))
	}
	return out
}

// PermissionError is a plugin using what its permissions do not grant.
type PermissionError struct {
	Plugin string
	What   string // "fetch to https://evil.example.com/"
	Need   string // the permission to add: "network:evil.example.com"
	Strict bool   // denied because the category is undeclared in strict mode
}

func (e *PermissionError) Error() string {
	if e.Strict {
		return fmt.Sprintf("permission denied: %s is not in the permissions of plugin %s, and strict mode denies what a plugin does not declare; add %q to its permissions (definePlugin({ permissions }) or package.json \"hivemind\".permissions), or take %s out of strict mode (%s in the data dir)", e.What, e.Plugin, e.Need, e.Plugin, StrictFile)
	}
	return fmt.Sprintf("permission denied: %s is not in the permissions of plugin %s; add %q to permissions (definePlugin({ permissions }) or package.json \"hivemind\".permissions)", e.What, e.Plugin, e.Need)
}

// Code is the error's code in JS.
func (e *PermissionError) Code() string { return "ERR_PERMISSION" }

// denied is the PermissionError for need.
func (p *Plugin) denied(what, need string) *PermissionError {
	cat, _, _ := strings.Cut(need, ":")
	return &PermissionError{Plugin: p.ID, What: what, Need: need, Strict: p.perms.Strict && !p.perms.declares(cat)}
}

// permissionTransport refuses requests (every redirect hop is a request)
// to hosts the plugin did not declare. Requests made while the plugin's
// code is still loading wait until its definition (and so its
// permissions) is read.
type permissionTransport struct {
	base   http.RoundTripper
	plugin *Plugin
}

func (t *permissionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case <-t.plugin.permsReady:
	case <-req.Context().Done():
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, req.Context().Err()
	}
	if err := t.plugin.checkURL(req.URL); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(req)
}

func (t *permissionTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (p *Plugin) checkURL(u *url.URL) error {
	if p.perms.allowsURL(u.Scheme, u.Hostname(), defaultPort(u)) {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	need := "network:" + host
	if strings.Contains(host, ":") {
		need = "network:[" + host + "]"
	}
	return p.denied(fmt.Sprintf("a request to %s://%s", strings.ToLower(u.Scheme), u.Host), need)
}

// httpClient is the client behind the plugin's fetch: base (the host's),
// with the plugin's permissions checked on every request and redirect hop.
func (p *Plugin) httpClient(base *http.Client) *http.Client {
	if base == nil {
		base = http.DefaultClient
	}
	c := *base
	tr := base.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	c.Transport = &permissionTransport{base: tr, plugin: p}
	return &c
}

// setPermissions fixes the plugin's permissions once its definition is
// read (ok false: it could not be read, and nothing is allowed), and lets
// requests waiting for them go on. On the loop, once.
func (p *Plugin) setPermissions(ok bool) {
	if !ok {
		p.perms = Permissions{Declared: true, Strict: true}
	}
	if ok && p.Auth != nil && p.Auth.OAuth2 != nil {
		for _, s := range []string{p.Auth.OAuth2.AuthorizationURL, p.Auth.OAuth2.TokenURL, p.Auth.OAuth2.DeviceAuthorizationURL} {
			if u, err := url.Parse(s); err == nil && u.Hostname() != "" && defaultPort(u) != "" {
				o := origin(strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), defaultPort(u))
				if !slices.Contains(p.perms.OAuth, o) {
					p.perms.OAuth = append(p.perms.OAuth, o)
				}
			}
		}
	}
	close(p.permsReady)
}

// readPermissions reads definePlugin's permissions and the manifest's,
// and whether the user put the plugin in strict mode. Odd permissions are
// warnings (the SDK accepts any string); a list that is not one is a
// problem. On the loop.
func (p *Plugin) readPermissions(v goja.Value, bad func(string, ...any)) {
	var list []string
	add := func(s string, warn func(string)) {
		use, w := checkPermission(s)
		if w != "" {
			warn(w)
		}
		list = append(list, use)
	}
	if p.Manifest != nil && p.Manifest.Permissions != nil {
		p.perms.Declared = true
		for _, s := range p.Manifest.Permissions {
			add(s, func(w string) {
				p.Warnings = append(p.Warnings, jsrt.Message{File: rel(p.host.WorkDir, p.Manifest.Path), Text: "hivemind.permissions: " + w})
			})
		}
	}
	if v != nil && !goja.IsUndefined(v) {
		arr, ok := v.(*goja.Object)
		if !ok || arr.ClassName() != "Array" {
			bad("permissions must be an array of strings like ['network:api.github.com', 'secrets:read'], got %s", jsrt.TypeNameWithArticle(v))
			return
		}
		p.perms.Declared = true
		for i, x := range arr.Export().([]any) {
			s, ok := x.(string)
			if !ok {
				bad("permissions[%d] must be a string", i)
				continue
			}
			add(s, func(w string) {
				p.Warnings = append(p.Warnings, p.warningAt(p.defPos, fmt.Sprintf("permissions[%d]: %s", i, w)))
			})
		}
	}
	for _, s := range list {
		if !slices.Contains(p.perms.List, s) {
			p.perms.List = append(p.perms.List, s)
		}
	}
	strict, err := p.host.strict(p.ID)
	if err != nil {
		bad("%v", err)
	}
	p.perms.Strict = strict || err != nil
}

// warningAt is a warning at pos ("plugin.ts:3:16").
func (p *Plugin) warningAt(pos, text string) jsrt.Message {
	m := jsrt.Message{Text: text}
	file, rest, _ := strings.Cut(pos, ":")
	ls, cs, _ := strings.Cut(rest, ":")
	if l, err := strconv.Atoi(ls); err == nil {
		m.File, m.Line = file, l
		m.Column, _ = strconv.Atoi(cs)
	}
	return m
}

// Permissions is what the plugin declared and how host reads it.
func (p *Plugin) Permissions() Permissions {
	return Permissions{Declared: p.perms.Declared, List: slices.Clone(p.perms.List), Strict: p.perms.Strict, OAuth: slices.Clone(p.perms.OAuth)}
}

// StrictFile is the file in a data dir that turns on strict mode, where a
// permission category a plugin does not declare is denied instead of
// allowed: {"strict": true} for every plugin of the data dir, or
// {"strictPlugins": ["acme.gh"]} for those plugins.
const StrictFile = "permissions.json"

// strictSettings is StrictFile's content.
type strictSettings struct {
	Strict        bool     `json:"strict"`
	StrictPlugins []string `json:"strictPlugins"`
}

// strict reports whether plugin id runs in strict mode: Host.Strict, or
// the data dir's StrictFile says so. A StrictFile host cannot read is an
// error (and the caller treats the plugin as strict).
func (h *Host) strict(id string) (bool, error) {
	if h.StrictPermissions {
		return true, nil
	}
	if h.DataDir == "" {
		return false, nil
	}
	path := filepath.Join(h.DataDir, StrictFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, fmt.Errorf("%s: %v", path, err)
	}
	var s strictSettings
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return true, fmt.Errorf(`%s is not {"strict": true} or {"strictPlugins": ["plugin-id", ...]}: %v`, path, err)
	}
	return s.Strict || slices.Contains(s.StrictPlugins, id), nil
}
