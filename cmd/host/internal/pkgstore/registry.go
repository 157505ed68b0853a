package pkgstore

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Limits on what a registry may send.
const (
	maxPackument = 64 << 20  // a packument's JSON
	maxTarball   = 128 << 20 // one compressed tarball
)

// Registry fetches packuments and tarballs from the registries an
// NPMConfig names. Safe for concurrent use; packuments are fetched once
// per Registry.
type Registry struct {
	Config *NPMConfig
	HTTP   *http.Client
	// UserAgent is sent with every request.
	UserAgent string

	mu    sync.Mutex
	cache map[string]*packumentCall
}

type packumentCall struct {
	done chan struct{}
	p    *Packument
	err  error
}

// NewRegistry returns a Registry for cfg whose HTTP client honours the
// configuration's https-proxy/proxy/noproxy, else HTTPS_PROXY, HTTP_PROXY
// and NO_PROXY from getenv.
func NewRegistry(cfg *NPMConfig, getenv func(string) string, userAgent string) *Registry {
	pc := &httpproxy.Config{
		HTTPSProxy: firstNonEmpty(cfg.HTTPSProxy, cfg.Proxy, getenv("HTTPS_PROXY"), getenv("https_proxy")),
		HTTPProxy:  firstNonEmpty(cfg.Proxy, getenv("HTTP_PROXY"), getenv("http_proxy")),
		NoProxy:    firstNonEmpty(cfg.NoProxy, getenv("NO_PROXY"), getenv("no_proxy")),
	}
	proxy := pc.ProxyFunc()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	tr.MaxIdleConnsPerHost = 16
	return &Registry{Config: cfg, HTTP: &http.Client{Transport: tr, Timeout: 5 * time.Minute}, UserAgent: userAgent}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// Packument is a package's document in the registry: its versions and
// dist-tags.
type Packument struct {
	Name     string                  `json:"name"`
	DistTags map[string]string       `json:"dist-tags"`
	Versions map[string]*VersionMeta `json:"versions"`
	Time     map[string]string       `json:"time"`
}

// VersionMeta is one version's package.json as the registry serves it.
type VersionMeta struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Description          string            `json:"description"`
	Main                 string            `json:"main"`
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	BundleDependencies   json.RawMessage   `json:"bundleDependencies"`
	BundledDependencies  json.RawMessage   `json:"bundledDependencies"`
	OS                   []string          `json:"os"`
	CPU                  []string          `json:"cpu"`
	Deprecated           json.RawMessage   `json:"deprecated"`
	Hivemind             json.RawMessage   `json:"hivemind"`
	Author               json.RawMessage   `json:"author"`
	NPMUser              *struct {
		Name string `json:"name"`
	} `json:"_npmUser"`
	Dist struct {
		Tarball   string `json:"tarball"`
		Integrity string `json:"integrity"`
		Shasum    string `json:"shasum"`
	} `json:"dist"`
}

// RegistryError is a registry answering a request with an error status.
type RegistryError struct {
	URL    string
	Status int
	Body   string
}

func (e *RegistryError) Error() string {
	msg := fmt.Sprintf("%s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	switch e.Status {
	case 401, 403:
		msg += " (the registry wants credentials: add //HOST/:_authToken=... for it to ~/.npmrc, or run npm login)"
	case 404:
		msg += " (no such package in this registry: check the name, and for a scoped package the @scope:registry line in ~/.npmrc)"
	}
	return msg
}

// Packument fetches name's packument (once per Registry).
func (r *Registry) Packument(ctx context.Context, name string) (*Packument, error) {
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]*packumentCall{}
	}
	c, ok := r.cache[name]
	if !ok {
		c = &packumentCall{done: make(chan struct{})}
		r.cache[name] = c
		r.mu.Unlock()
		c.p, c.err = r.fetchPackument(ctx, name)
		close(c.done)
	} else {
		r.mu.Unlock()
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return c.p, c.err
}

func (r *Registry) fetchPackument(ctx context.Context, name string) (*Packument, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	u := r.Config.RegistryFor(name) + strings.Replace(name, "/", "%2f", 1)
	body, err := r.get(ctx, u, "application/json", maxPackument)
	if err != nil {
		return nil, err
	}
	var p Packument
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%s: the registry's answer is not a packument: %w", u, err)
	}
	if p.Name != name || len(p.Versions) == 0 {
		return nil, fmt.Errorf("%s: the registry's answer names %q with %d versions, not %q", u, p.Name, len(p.Versions), name)
	}
	for v, m := range p.Versions {
		if m == nil || m.Version != v || m.Name != name {
			return nil, fmt.Errorf("%s: version %s of the packument is inconsistent", u, v)
		}
	}
	return &p, nil
}

// get fetches u with the registry's credentials for it, reading at most
// limit bytes.
func (r *Registry) get(ctx context.Context, u, accept string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	if r.UserAgent != "" {
		req.Header.Set("User-Agent", r.UserAgent)
	}
	if a := r.Config.Authorization(u); a != "" {
		req.Header.Set("Authorization", a)
	}
	resp, err := r.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		var e struct {
			Error string `json:"error"`
		}
		msg := strings.TrimSpace(string(b))
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, &RegistryError{URL: u, Status: resp.StatusCode, Body: msg}
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	if n > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB", u, limit>>20)
	}
	return buf.Bytes(), nil
}

// IntegrityError is a tarball whose bytes do not match the integrity the
// registry lists for it.
type IntegrityError struct {
	Package  string // name@version
	Expected string
	Got      string
}

func (e *IntegrityError) Error() string {
	return fmt.Sprintf("%s: the tarball does not match its integrity (expected %s, got %s): it was altered after publishing or in transit; nothing was installed", e.Package, e.Expected, e.Got)
}

// Tarball downloads a version's tarball and verifies it against its sha512
// integrity before returning it.
func (r *Registry) Tarball(ctx context.Context, m *VersionMeta) ([]byte, error) {
	id := m.Name + "@" + m.Version
	want, err := sha512Of(m.Dist.Integrity)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	if m.Dist.Tarball == "" {
		return nil, fmt.Errorf("%s: the registry lists no tarball", id)
	}
	data, err := r.get(ctx, m.Dist.Tarball, "application/octet-stream", maxTarball)
	if err != nil {
		return nil, err
	}
	if err := checkIntegrity(id, data, want); err != nil {
		return nil, err
	}
	return data, nil
}

// sha512Of picks the sha512 hash out of an SRI integrity string.
func sha512Of(integrity string) ([]byte, error) {
	for _, f := range strings.Fields(integrity) {
		if b64, ok := strings.CutPrefix(f, "sha512-"); ok {
			if i := strings.IndexByte(b64, '?'); i >= 0 {
				b64 = b64[:i]
			}
			sum, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(sum) != sha512.Size {
				return nil, fmt.Errorf("its integrity %q is not a valid sha512 hash", integrity)
			}
			return sum, nil
		}
	}
	if integrity == "" {
		return nil, errors.New("the registry lists no sha512 integrity for it, so it cannot be verified; host installs only verified tarballs")
	}
	return nil, fmt.Errorf("its integrity %q has no sha512 hash, so it cannot be verified; host installs only sha512-verified tarballs", integrity)
}

func checkIntegrity(id string, data, want []byte) error {
	got := sha512.Sum512(data)
	if !bytes.Equal(got[:], want) {
		return &IntegrityError{Package: id, Expected: Integrity(want), Got: Integrity(got[:])}
	}
	return nil
}

// Integrity is the SRI string of a sha512 sum.
func Integrity(sum []byte) string { return "sha512-" + base64.StdEncoding.EncodeToString(sum) }

// IntegrityOf is the SRI sha512 integrity of data.
func IntegrityOf(data []byte) string {
	s := sha512.Sum512(data)
	return Integrity(s[:])
}

// validName checks an npm package name enough that it cannot change the
// request's path: lower-case, URL-safe, an optional @scope/.
func validName(name string) error {
	bad := func() error {
		return fmt.Errorf("%q is not a valid npm package name (e.g. my-plugin or @scope/my-plugin)", name)
	}
	if name == "" || len(name) > 214 {
		return bad()
	}
	rest := name
	if strings.HasPrefix(name, "@") {
		scope, pkg, ok := strings.Cut(name[1:], "/")
		if !ok || !validPart(scope) || !validPart(pkg) {
			return bad()
		}
		return nil
	}
	if !validPart(rest) {
		return bad()
	}
	return nil
}

func validPart(s string) bool {
	if s == "" || s[0] == '.' || s[0] == '_' {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
		case c >= 'A' && c <= 'Z': // old packages have upper-case names
		default:
			return false
		}
	}
	return true
}
