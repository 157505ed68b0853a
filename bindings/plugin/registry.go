package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"host/bindings/secrets"
)

// Owner records which plugin file owns an id in a data dir: the first file
// that ran under the id. Secrets, config and store rows belong to the id,
// so another file claiming it would get them.
type Owner struct {
	ID      string    `json:"id"`
	File    string    `json:"file"` // absolute path
	Claimed time.Time `json:"claimed"`
	// Recorded says the owner is also recorded in the secret backend, so
	// Claim need not read it there while this file stands.
	Recorded bool `json:"recorded,omitempty"`
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

// ownerUser is the entry, in the plugin's own secret service, that records
// the owning file beside the secrets themselves: a data dir that was
// removed or another data dir on the same keyring (without a namespace)
// cannot hand the id, and so the secrets, to another file.
const ownerUser = "host.owner"

// OwnerRecordError is an owner record that cannot be read or makes no
// sense: the claim is refused rather than the id handed to whoever asks.
type OwnerRecordError struct {
	ID    string
	Where string // the file, or "the secret backend"
	Err   error
}

func (e *OwnerRecordError) Error() string {
	return fmt.Sprintf("the owner record of plugin id %s in %s is unreadable (%v); refusing to hand the id to another file", e.ID, e.Where, e.Err)
}
func (e *OwnerRecordError) Unwrap() error { return e.Err }

// Claim records that file owns p's id, or checks that it already does,
// in the data dir (owner.json) and in the secret backend (beside the
// secrets). Another file's claim in either is an *IDClaimedError unless
// adopt is set, which moves the id to this file. A corrupt record is an
// *OwnerRecordError. A secret backend that cannot be reached is not
// checked (its secrets cannot be read either).
func (p *Plugin) Claim(ctx context.Context, file string, adopt bool) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	path := ownerPath(p.host.DataDir, p.ID)
	inFile, recorded := "", false
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var o Owner
		if jerr := json.Unmarshal(data, &o); jerr != nil || o.File == "" || !filepath.IsAbs(o.File) {
			if jerr == nil {
				jerr = errors.New("it names no absolute file")
			}
			return &OwnerRecordError{ID: p.ID, Where: path, Err: jerr}
		}
		inFile, recorded = o.File, o.Recorded
	case !errors.Is(err, os.ErrNotExist):
		return &OwnerRecordError{ID: p.ID, Where: path, Err: err}
	}
	if inFile == abs && recorded {
		// This data dir's record, written with the backend's: no keyring
		// round trip on the way to every run.
		return nil
	}
	inBackend, reachable, err := p.readOwnerSecret(ctx)
	if err != nil {
		return err
	}
	for _, owner := range []string{inFile, inBackend} {
		if owner != "" && owner != abs && !adopt {
			return &IDClaimedError{ID: p.ID, Owner: owner, File: abs}
		}
	}
	recorded = reachable && inBackend == abs
	if reachable && inBackend != abs {
		sc, err := p.secrets()
		if err != nil {
			return err
		}
		switch err := sc.Backend.Set(ctx, sc.Service(), ownerUser, abs); {
		case err == nil:
			recorded = true
		case !errors.Is(err, secrets.ErrUnavailable):
			return fmt.Errorf("recording the owner of plugin id %s: %w", p.ID, err)
		}
	}
	b, _ := json.MarshalIndent(Owner{ID: p.ID, File: abs, Claimed: time.Now().UTC(), Recorded: recorded}, "", "  ")
	if err := WriteFileAtomic(path, append(b, '\n')); err != nil {
		return fmt.Errorf("recording the owner of plugin id %s: %w", p.ID, err)
	}
	return nil
}

// readOwnerSecret reads the owner record in the secret backend. reachable
// is false when the backend cannot be reached.
func (p *Plugin) readOwnerSecret(ctx context.Context) (owner string, reachable bool, err error) {
	if p.host.Secrets == nil {
		return "", false, nil
	}
	sc, err := p.secrets()
	if err != nil {
		return "", false, err
	}
	v, rerr := sc.Backend.Get(ctx, sc.Service(), ownerUser)
	switch {
	case rerr == nil:
		if !filepath.IsAbs(v) {
			return "", true, &OwnerRecordError{ID: p.ID, Where: "the " + p.host.Secrets.Name(), Err: errors.New("it names no absolute file")}
		}
		return v, true, nil
	case errors.Is(rerr, secrets.ErrNotFound):
		return "", true, nil
	case errors.Is(rerr, secrets.ErrUnavailable):
		return "", false, nil
	}
	return "", false, &OwnerRecordError{ID: p.ID, Where: "the " + p.host.Secrets.Name(), Err: rerr}
}

// DataDirNamespace is the secrets namespace of a data dir other than the
// default: "@" and a fingerprint of its absolute path.
func DataDirNamespace(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return "@" + hex.EncodeToString(sum[:6])
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
