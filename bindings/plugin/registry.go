package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Owner records which plugin file owns an id in a data dir: the first file
// that ran under the id. Secrets, config and store rows belong to the id,
// so another file claiming it would get them.
type Owner struct {
	ID      string    `json:"id"`
	File    string    `json:"file"` // absolute path
	Claimed time.Time `json:"claimed"`
}

// IDClaimedError is a plugin file declaring an id another file owns.
type IDClaimedError struct {
	ID, Owner, File string
}

func (e *IDClaimedError) Error() string {
	return fmt.Sprintf("plugin id %q belongs to %s, not to %s: a second file may not take over its secrets, config and store", e.ID, e.Owner, e.File)
}

func ownerPath(dataDir, id string) string {
	return filepath.Join(dataDir, "plugins", id, "owner.json")
}

// Claim records that file owns p's id, or checks that it already does.
// Another file's claim is an *IDClaimedError unless adopt is set, which
// moves the id to this file.
func (p *Plugin) Claim(file string, adopt bool) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	path := ownerPath(p.host.DataDir, p.ID)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var o Owner
		if json.Unmarshal(data, &o) == nil && o.File != "" {
			if o.File == abs {
				return nil
			}
			if !adopt {
				return &IDClaimedError{ID: p.ID, Owner: o.File, File: abs}
			}
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("reading the owner of plugin id %s: %w", p.ID, err)
	}
	b, _ := json.MarshalIndent(Owner{ID: p.ID, File: abs, Claimed: time.Now().UTC()}, "", "  ")
	return writeFileAtomic(path, append(b, '\n'))
}

// KnownPlugins lists the ids recorded in dataDir with their owning files.
func KnownPlugins(dataDir string) ([]Owner, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, "plugins"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Owner
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		o := Owner{ID: e.Name()}
		if data, err := os.ReadFile(ownerPath(dataDir, e.Name())); err == nil {
			_ = json.Unmarshal(data, &o)
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
