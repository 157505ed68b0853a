package secrets

import (
	"context"
	"sync"
)

// Memory is an in-process Backend for unit tests only: nothing is persisted
// and nothing is protected. The host never uses it for real secrets. The
// zero value is ready; it is safe for concurrent use.
type Memory struct {
	mu   sync.Mutex
	m    map[[2]string]string
	fail error
}

// NewMemory returns an empty Memory backend.
func NewMemory() *Memory { return &Memory{} }

// Name returns "memory".
func (m *Memory) Name() string { return "memory" }

// FailWith makes every later call return err (nil restores normal
// operation), so tests can see how callers report a broken backend.
func (m *Memory) FailWith(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Get returns the stored value or ErrNotFound.
func (m *Memory) Get(ctx context.Context, service, user string) (string, error) {
	if err := m.check(ctx); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[[2]string{service, user}]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value.
func (m *Memory) Set(ctx context.Context, service, user, value string) error {
	if err := m.check(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = make(map[[2]string]string)
	}
	m.m[[2]string{service, user}] = value
	return nil
}

// Delete removes the value or returns ErrNotFound.
func (m *Memory) Delete(ctx context.Context, service, user string) error {
	if err := m.check(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := [2]string{service, user}
	if _, ok := m.m[k]; !ok {
		return ErrNotFound
	}
	delete(m.m, k)
	return nil
}

// Len reports how many values are stored (for tests).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

func (m *Memory) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fail
}

var _ Backend = (*Memory)(nil)
