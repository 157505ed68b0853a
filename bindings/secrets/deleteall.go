package secrets

import (
	"context"
	"errors"

	"github.com/zalando/go-keyring"
)

// ServiceDeleter is a Backend that can delete every item of a service at
// once (logout). Backends that cannot list their items don't implement it.
type ServiceDeleter interface {
	DeleteService(ctx context.Context, service string) error
}

// DeleteService removes every item of service; no items is not an error.
func (k *Keyring) DeleteService(ctx context.Context, service string) error {
	_, err := k.do(ctx, "delete", func() (string, error) {
		err := keyring.DeleteAll(service)
		if errors.Is(err, keyring.ErrNotFound) {
			err = nil
		}
		return "", err
	})
	return err
}

// DeleteService removes every item of service.
func (m *Memory) DeleteService(ctx context.Context, service string) error {
	if err := m.check(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.m {
		if k[0] == service {
			delete(m.m, k)
		}
	}
	return nil
}

// DeleteService removes every item of service.
func (f *File) DeleteService(ctx context.Context, service string) error {
	return f.update(ctx, func(items map[string]map[string]string) error {
		delete(items, service)
		return nil
	})
}

// DeleteService removes every item of service, parts of long values
// included (they live under the same service), when the wrapped backend
// can.
func (c *Chunked) DeleteService(ctx context.Context, service string) error {
	sd, ok := c.Backend.(ServiceDeleter)
	if !ok {
		return errors.New("this secret backend cannot delete all of a plugin's secrets at once")
	}
	return sd.DeleteService(ctx, service)
}

// DeleteAll deletes every secret of the plugin: config fields, ctx.secrets
// keys and OAuth tokens. It needs a backend that can list a service's
// items (ServiceDeleter).
func (s *Scoped) DeleteAll(ctx context.Context) error {
	sd, ok := s.Backend.(ServiceDeleter)
	if !ok {
		return errors.New("this secret backend cannot delete all of a plugin's secrets at once")
	}
	return sd.DeleteService(ctx, s.Service())
}

var (
	_ ServiceDeleter = (*Keyring)(nil)
	_ ServiceDeleter = (*Memory)(nil)
	_ ServiceDeleter = (*File)(nil)
	_ ServiceDeleter = (*Chunked)(nil)
)
