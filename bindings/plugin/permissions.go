package plugin

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/dop251/goja"

	"host/jsrt"
)

// Permissions are what a plugin declared it needs, in the SDK's strings
// (definePlugin({ permissions }) and package.json "hivemind".permissions
// together). A plugin that declares none is unrestricted; one that declares
// any gets only what it declared:
//
//	network:HOST        fetch to HOST (any port); network:HOST:PORT one port;
//	                    network:*.example.com its subdomains; network:* any host
//	secrets:read        ctx.secrets.get/has
//	secrets:write       ctx.secrets.set/delete
//	loop:background     the loop and ctx.schedule
//	filesystem:read     ctx.dataDir reads; filesystem:write reads and writes
//
// The plugin's own auth URLs (authorizationUrl, tokenUrl,
// deviceAuthorizationUrl) are allowed implicitly.
type Permissions struct {
	Declared bool
	List     []string // as declared, duplicates dropped
}

// permissionKinds are the prefixes a permission may have.
var permissionKinds = []string{"network:", "secrets:", "loop:", "filesystem:"}

// checkPermission reports what is wrong with one declared permission.
func checkPermission(s string) string {
	switch s {
	case "secrets:read", "secrets:write", "loop:background", "filesystem:read", "filesystem:write":
		return ""
	}
	if h, ok := strings.CutPrefix(s, "network:"); ok {
		if h == "" || strings.ContainsAny(h, "/ ?#@") {
			return fmt.Sprintf("%q: write network:HOST, e.g. network:api.github.com (no scheme or path)", s)
		}
		return ""
	}
	for _, k := range permissionKinds {
		if strings.HasPrefix(s, k) {
			return fmt.Sprintf("%q is not a known permission; known: network:HOST, secrets:read, secrets:write, loop:background, filesystem:read, filesystem:write", s)
		}
	}
	return fmt.Sprintf("%q is not a known permission; known: network:HOST, secrets:read, secrets:write, loop:background, filesystem:read, filesystem:write", s)
}

// Allows reports whether the plugin may use what perm names: always when
// it declared nothing.
func (ps Permissions) Allows(perm string) bool {
	if !ps.Declared {
		return true
	}
	if slices.Contains(ps.List, perm) {
		return true
	}
	return perm == "filesystem:read" && slices.Contains(ps.List, "filesystem:write")
}

// allowsHost reports whether network access to host:port is declared.
func (ps Permissions) allowsHost(host, port string, implicit []string) bool {
	if !ps.Declared {
		return true
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if slices.Contains(implicit, host) {
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

// PermissionError is a plugin using what its permissions do not grant.
type PermissionError struct {
	Plugin string
	What   string // "fetch to https://evil.example.com/"
	Need   string // the permission to add: "network:evil.example.com"
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("permission denied: %s is not in the permissions of plugin %s; add %q to permissions (definePlugin({ permissions }) or package.json \"hivemind\".permissions)", e.What, e.Plugin, e.Need)
}

// Code is the error's code in JS.
func (e *PermissionError) Code() string { return "ERR_PERMISSION" }

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
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	if p.perms.allowsHost(u.Hostname(), port, p.implicitHosts) {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	need := "network:" + host
	if strings.Contains(host, ":") {
		need = "network:[" + host + "]"
	}
	return &PermissionError{Plugin: p.ID, What: fmt.Sprintf("a request to %s://%s", strings.ToLower(u.Scheme), u.Host), Need: need}
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
		p.perms = Permissions{Declared: true}
	}
	if p.Auth != nil && p.Auth.OAuth2 != nil {
		for _, s := range []string{p.Auth.OAuth2.AuthorizationURL, p.Auth.OAuth2.TokenURL, p.Auth.OAuth2.DeviceAuthorizationURL} {
			if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
				p.implicitHosts = append(p.implicitHosts, strings.ToLower(u.Hostname()))
			}
		}
	}
	close(p.permsReady)
}

// readPermissions reads definePlugin's permissions and the manifest's.
// On the loop.
func (p *Plugin) readPermissions(v goja.Value, bad func(string, ...any)) {
	var list []string
	if p.Manifest != nil && p.Manifest.Permissions != nil {
		p.perms.Declared = true
		for _, s := range p.Manifest.Permissions {
			if msg := checkPermission(s); msg != "" {
				bad("%s: hivemind.permissions: %s", rel(p.host.WorkDir, p.Manifest.Path), msg)
			}
			list = append(list, s)
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
			if msg := checkPermission(s); msg != "" {
				bad("permissions[%d]: %s", i, msg)
			}
			list = append(list, s)
		}
	}
	for _, s := range list {
		if !slices.Contains(p.perms.List, s) {
			p.perms.List = append(p.perms.List, s)
		}
	}
}

// Permissions is what the plugin declared (Declared false: unrestricted).
func (p *Plugin) Permissions() Permissions {
	return Permissions{Declared: p.perms.Declared, List: slices.Clone(p.perms.List)}
}
