package plugins

import (
	"context"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/setuppage"
)

// PagePackages is the setup page's installed plugins (setuppage.Packages)
// over the data dir's store, as the commands here open it (the registry
// of the user's npm configuration, plugins described in a worker), with
// hooks into the serve that runs them.
type PagePackages struct {
	store *pkgstore.Store
	purge func(ctx context.Context, id string) (pkgstore.RemoveOptions, func(), error)

	// Restart, when set, (re)starts plugin id where it runs (after an
	// update or Enable); note says what the user should know ("" or when
	// it starts).
	Restart func(ctx context.Context, id string) (note string, err error)
	// Stop, when set, stops plugin id where it runs (Disable, Remove).
	Stop func(ctx context.Context, id, reason string) error
}

// NewPagePackages is the store of the data dir flags names for the page.
func NewPagePackages(f *cmdutil.Factory, flags *cmdutil.PluginFlags) (*PagePackages, error) {
	s, err := openStore(f, flags.DataDir)
	if err != nil {
		return nil, err
	}
	return &PagePackages{store: s, purge: func(ctx context.Context, id string) (pkgstore.RemoveOptions, func(), error) {
		return purgeScope(f, flags, id)
	}}, nil
}

// List implements setuppage.Packages.
func (p *PagePackages) List() ([]*pkgstore.Record, error) { return p.store.List() }

// PrepareUpdate implements setuppage.Packages: within the plugin's range
// (host update ID).
func (p *PagePackages) PrepareUpdate(ctx context.Context, id string) (*pkgstore.Plan, error) {
	return p.store.PrepareUpdate(ctx, id, false)
}

// CommitUpdate implements setuppage.Packages.
func (p *PagePackages) CommitUpdate(ctx context.Context, plan *pkgstore.Plan) (*pkgstore.Record, error) {
	r, err := plan.Commit(ctx)
	if err != nil {
		return nil, err
	}
	if p.Restart != nil && r.Enabled {
		if _, err := p.Restart(ctx, r.ID); err != nil {
			return r, err
		}
	}
	return r, nil
}

// SetEnabled implements setuppage.Packages.
func (p *PagePackages) SetEnabled(ctx context.Context, id string, on bool) (string, error) {
	if _, err := p.store.SetEnabled(ctx, id, on); err != nil {
		return "", err
	}
	if on && p.Restart != nil {
		return p.Restart(ctx, id)
	}
	if !on && p.Stop != nil {
		return "", p.Stop(ctx, id, "disabled (host enable "+id+" enables it)")
	}
	return "", nil
}

// Remove implements setuppage.Packages: as host remove ID --yes.
func (p *PagePackages) Remove(ctx context.Context, id string) error {
	if p.Stop != nil {
		if err := p.Stop(ctx, id, "removed"); err != nil {
			return err
		}
	}
	opts, done, err := p.purge(ctx, id)
	if err != nil {
		return err
	}
	defer done()
	_, err = p.store.Remove(ctx, id, opts)
	return err
}

var _ setuppage.Packages = (*PagePackages)(nil)
