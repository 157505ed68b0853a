// Package pkgstore installs plugins as npm packages into host's data dir:
// it reads the user's npm configuration, resolves a package and its
// runtime dependencies against the registry, verifies every tarball's
// sha512 integrity, extracts it safely (no install script ever runs),
// writes a lock of exact versions and hashes, and keeps the record of each
// installed or linked plugin (enabled or not). It also words a plugin's
// permissions for the user's consent and removes a plugin with all it
// kept. It never prints or asks: cmd/host shows its summaries and asks.
package pkgstore

import (
	"bufio"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DefaultRegistry is npm's own registry, used when no configuration names
// another.
const DefaultRegistry = "https://registry.npmjs.org/"

// NPMConfig is what host reads of the user's npm configuration: the
// registry, per-scope registries, credentials per registry, and proxies.
// Keys are npm's (.npmrc), read from the user config file
// ($NPM_CONFIG_USERCONFIG or ~/.npmrc) and npm_config_* environment
// variables, the latter winning as in npm.
type NPMConfig struct {
	Registry string            // with a trailing slash
	Scopes   map[string]string // "@acme" -> registry URL with a trailing slash
	// auth holds the per-registry keys by "nerf dart" (//host[:port]/path/):
	// _authToken, _auth, username, _password.
	auth       map[string]map[string]string
	HTTPSProxy string // https-proxy (else HTTPS_PROXY from the environment applies)
	Proxy      string // proxy
	NoProxy    string
}

var envRef = regexp.MustCompile(`\$\{([^}]+)\}`)

// LoadNPMConfig reads the user's npm configuration with getenv and the
// home directory; a missing file is an empty configuration.
func LoadNPMConfig(getenv func(string) string, home string) (*NPMConfig, error) {
	c := &NPMConfig{Registry: DefaultRegistry, Scopes: map[string]string{}, auth: map[string]map[string]string{}}
	path := getenv("NPM_CONFIG_USERCONFIG")
	if path == "" {
		path = getenv("npm_config_userconfig")
	}
	if path == "" && home != "" {
		path = filepath.Join(home, ".npmrc")
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		if err == nil {
			sc := bufio.NewScanner(strings.NewReader(string(data)))
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" || line[0] == '#' || line[0] == ';' {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					continue
				}
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
					v = v[1 : len(v)-1]
				}
				v = envRef.ReplaceAllStringFunc(v, func(m string) string { return getenv(m[2 : len(m)-1]) })
				c.set(k, v)
			}
		}
	}
	for _, k := range []string{"registry", "https-proxy", "proxy", "noproxy"} {
		for _, name := range []string{"npm_config_" + strings.ReplaceAll(k, "-", "_"), "NPM_CONFIG_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_"))} {
			if v := getenv(name); v != "" {
				c.set(k, v)
			}
		}
	}
	return c, nil
}

func (c *NPMConfig) set(k, v string) {
	switch {
	case k == "registry":
		c.Registry = slash(v)
	case strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry"):
		c.Scopes[strings.ToLower(strings.TrimSuffix(k, ":registry"))] = slash(v)
	case strings.HasPrefix(k, "//"):
		i := strings.LastIndex(k, ":")
		if i < 0 {
			return
		}
		dart, key := k[:i], k[i+1:]
		if !strings.HasSuffix(dart, "/") {
			dart += "/"
		}
		if c.auth[dart] == nil {
			c.auth[dart] = map[string]string{}
		}
		c.auth[dart][key] = v
	case k == "https-proxy":
		c.HTTPSProxy = v
	case k == "proxy":
		c.Proxy = v
	case k == "noproxy":
		c.NoProxy = v
	}
}

func slash(u string) string {
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// RegistryFor is the registry that serves package name: its scope's, else
// the default one.
func (c *NPMConfig) RegistryFor(name string) string {
	if strings.HasPrefix(name, "@") {
		if scope, _, ok := strings.Cut(name, "/"); ok {
			if r, ok := c.Scopes[strings.ToLower(scope)]; ok {
				return r
			}
		}
	}
	return c.Registry
}

// nerfDart is npm's key for a URL's credentials: "//host[:port]/path/".
func nerfDart(u *url.URL) string {
	p := u.EscapedPath()
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[:i+1]
	} else {
		p = "/"
	}
	return "//" + strings.ToLower(u.Host) + p
}

// Authorization is the Authorization header value for a request to raw,
// or "" when the configuration holds no credentials for it. As npm does,
// the longest configured "//host/path/" that prefixes the URL's own
// applies, so a token is only ever sent to the registry it was given for.
func (c *NPMConfig) Authorization(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	dart := nerfDart(u)
	best := ""
	for d := range c.auth {
		if strings.HasPrefix(dart, d) && len(d) > len(best) {
			best = d
		}
	}
	if best == "" {
		return ""
	}
	a := c.auth[best]
	switch {
	case a["_authToken"] != "":
		return "Bearer " + a["_authToken"]
	case a["_auth"] != "":
		return "Basic " + a["_auth"]
	case a["username"] != "" && a["_password"] != "":
		pw, err := base64.StdEncoding.DecodeString(a["_password"])
		if err != nil {
			return ""
		}
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(a["username"]+":"+string(pw)))
	}
	return ""
}
