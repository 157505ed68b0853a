package pkgstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"host/bindings/secrets"
	"host/bindings/store"
)

// RemoveOptions say what Remove deletes besides the plugin's code.
type RemoveOptions struct {
	// KeepData keeps the plugin's config, data folder, store rows, inbox
	// and secrets.
	KeepData bool
	// Secrets is the plugin's scope in the secret backend (with the data
	// dir's namespace); every item of its service is deleted.
	Secrets *secrets.Scoped
	// Store is the data dir's store database.
	Store *store.DB
}

// Remove uninstalls plugin id: unless KeepData, first every keyring item
// of the plugin, its store rows, inbox, events and status, and its folder
// <data dir>/plugins/<id> (config, owner record, data folder), then its
// code (a linked directory itself is left alone). A failure stops before
// the code goes, so the command can be run again.
func (s *Store) Remove(ctx context.Context, id string, opts RemoveOptions) (*Record, error) {
	release, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	r, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if !opts.KeepData {
		if err := PurgeData(ctx, s.DataDir, id, opts); err != nil {
			return nil, err
		}
	}
	// Rename first: a half-deleted folder never looks installed.
	dir := filepath.Join(s.root(), id)
	gone := filepath.Join(s.root(), ".removed-"+id)
	_ = os.RemoveAll(gone)
	if err := os.Rename(dir, gone); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(gone); err != nil {
		return nil, err
	}
	return r, nil
}

// PurgeData deletes what plugin id kept in the data dir and the secret
// backend (see Remove), and the data dir's bundle cache.
func PurgeData(ctx context.Context, dataDir, id string, opts RemoveOptions) error {
	if opts.Secrets != nil {
		if err := opts.Secrets.DeleteAll(ctx); err != nil {
			return fmt.Errorf("removing the secrets of %s: %w", id, err)
		}
	}
	if opts.Store != nil {
		if err := opts.Store.Plugin(id).DeleteAll(ctx); err != nil {
			return fmt.Errorf("removing the stored data of %s: %w", id, err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dataDir, "plugins", id)); err != nil {
		return fmt.Errorf("removing the config of %s: %w", id, err)
	}
	// The bundle cache holds built copies of the plugin's code among
	// others'; it is only a cache (rebuilt on the next start), so it goes
	// whole rather than be searched.
	_ = os.RemoveAll(filepath.Join(dataDir, "cache", "bundles"))
	return nil
}
