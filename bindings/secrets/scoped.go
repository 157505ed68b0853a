package secrets

import (
	"context"
	"errors"
	"fmt"
)

// ServicePrefix starts every keyring service name the host uses.
const ServicePrefix = "host:"

// configPrefix starts the keyring user of a .secret() config field.
const configPrefix = "config."

// Scoped is one plugin's view of a Backend: its secrets live under keyring
// service "host:<PluginID>"; ctx.secrets key K is keyring user K and the
// .secret() config field K is keyring user "config.K" (see ConfigUser).
// No method takes a plugin id, so a plugin cannot reach another's secrets.
//
// Methods are safe for concurrent use and may block for as long as the
// backend does (bounded by ctx); call them off the JS loop.
type Scoped struct {
	Backend  Backend
	PluginID string
	// Namespace is appended to the service name ("host:<id><Namespace>"):
	// the host gives each non-default data dir its own, so two data dirs
	// sharing one OS keyring never see each other's secrets.
	Namespace string

	// OnValue, when set, is called with every secret value read or written
	// through this Scoped (not for Has or Delete), so the host can mask those
	// values in what the plugin prints. The host sets it to the Add method of
	// its Masker (which is safe for this). Called on the goroutine doing the
	// work, possibly concurrently, before Set stores the value and after Get
	// reads it, so the value is masked before the plugin can print it.
	OnValue func(value string)
}

// NewScoped returns the scope of pluginID on b. It returns an error when
// the plugin id is not usable as a key (see ValidateKey).
func NewScoped(b Backend, pluginID string) (*Scoped, error) {
	if err := ValidateKey(pluginID); err != nil {
		return nil, fmt.Errorf("plugin id: %w", err)
	}
	return &Scoped{Backend: b, PluginID: pluginID}, nil
}

// Service is the keyring service name, "host:<plugin id><Namespace>".
func (s *Scoped) Service() string { return ServicePrefix + s.PluginID + s.Namespace }

// ConfigUser is the keyring user under which the .secret() config field
// key is stored: "config.<key>".
func ConfigUser(key string) string { return configPrefix + key }

// Get returns the value of ctx.secrets key, or an error matching
// ErrNotFound.
func (s *Scoped) Get(ctx context.Context, key string) (string, error) {
	return s.get(ctx, key, key)
}

// Set stores value under ctx.secrets key.
func (s *Scoped) Set(ctx context.Context, key, value string) error {
	return s.set(ctx, key, key, value)
}

// Has reports whether ctx.secrets key has a value.
func (s *Scoped) Has(ctx context.Context, key string) (bool, error) {
	if err := s.check(key); err != nil {
		return false, err
	}
	_, err := s.Backend.Get(ctx, s.Service(), key)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	}
	return false, err
}

// Delete removes ctx.secrets key. Deleting a missing key is not an error.
func (s *Scoped) Delete(ctx context.Context, key string) error {
	return s.del(ctx, key, key)
}

// GetConfig returns the value of the .secret() config field key, or an
// error matching ErrNotFound.
func (s *Scoped) GetConfig(ctx context.Context, key string) (string, error) {
	return s.get(ctx, key, ConfigUser(key))
}

// SetConfig stores the value of the .secret() config field key.
func (s *Scoped) SetConfig(ctx context.Context, key, value string) error {
	return s.set(ctx, key, ConfigUser(key), value)
}

// DeleteConfig removes the .secret() config field key. Deleting a missing
// field is not an error.
func (s *Scoped) DeleteConfig(ctx context.Context, key string) error {
	return s.del(ctx, key, ConfigUser(key))
}

func (s *Scoped) get(ctx context.Context, key, user string) (string, error) {
	if err := s.check(key); err != nil {
		return "", err
	}
	v, err := s.Backend.Get(ctx, s.Service(), user)
	if err != nil {
		return "", err
	}
	s.saw(v)
	return v, nil
}

func (s *Scoped) set(ctx context.Context, key, user, value string) error {
	if err := s.check(key); err != nil {
		return err
	}
	s.saw(value)
	return s.Backend.Set(ctx, s.Service(), user, value)
}

func (s *Scoped) del(ctx context.Context, key, user string) error {
	if err := s.check(key); err != nil {
		return err
	}
	err := s.Backend.Delete(ctx, s.Service(), user)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (s *Scoped) check(key string) error {
	if s.Backend == nil || s.PluginID == "" {
		return errors.New("secrets: Scoped needs a Backend and a PluginID")
	}
	return ValidateKey(key)
}

func (s *Scoped) saw(v string) {
	if s.OnValue != nil && v != "" {
		s.OnValue(v)
	}
}
