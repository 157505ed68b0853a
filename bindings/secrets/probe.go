package secrets

import (
	"context"
	"errors"
)

// Prober is a Backend with its own check that it works.
type Prober interface {
	Probe(ctx context.Context) error
}

// Probe checks that b works: b's own Probe when it has one (the keyring's
// reports typed errors), else it writes, reads back and deletes a harmless
// item (service ProbeService, user "probe").
func Probe(ctx context.Context, b Backend) error {
	if p, ok := b.(Prober); ok {
		return p.Probe(ctx)
	}
	const user, value = "probe", "host-probe-value"
	if err := b.Set(ctx, ProbeService, user, value); err != nil {
		return err
	}
	got, err := b.Get(ctx, ProbeService, user)
	if err != nil {
		return err
	}
	if got != value {
		return errors.New("the secret backend read back a different value than was written")
	}
	return b.Delete(ctx, ProbeService, user)
}

var (
	_ Prober = (*Keyring)(nil)
	_ Prober = (*Chunked)(nil)
)
