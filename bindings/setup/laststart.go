package setup

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"host/bindings/plugin"
)

// LastStart is a plugin's last start that failed after its activation was
// tried (onActivate threw, the credentials were refused, what it needed
// could not be saved): when, where, and the state it left the plugin in.
// Each Session with Options.Surface keeps it in the plugin's data dir, so
// that a surface that activates nothing (`host status` without a serve)
// can tell a plugin that fails to start from one that is ready. A start
// that activates the plugin removes it.
type LastStart struct {
	At time.Time `json:"at"`
	// Surface is what started the plugin (Options.Surface), e.g. "host run".
	Surface string `json:"surface"`
	// The state the failure left (StateOf): its phase, kind and reason
	// (the error with its plugin.ts:line:col, masked: never a secret).
	Phase  Phase  `json:"state"`
	Kind   Kind   `json:"kind,omitempty"`
	Reason string `json:"reason"`
	// WorkDir is the directory the positions in Reason are relative to
	// (the starting process's plugin.Host.WorkDir); see In.
	WorkDir string `json:"workDir,omitempty"`
}

// position is a file.ts:line:col in a reason.
var positionRE = regexp.MustCompile(`[^\s:()'"]+\.[cm]?[jt]sx?:\d+:\d+`)

// In is l with the relative positions in its reason made relative to wd
// instead of l.WorkDir, so that they point at the same files from where
// they are shown.
func (l *LastStart) In(wd string) *LastStart {
	if l.WorkDir == "" || wd == "" || l.WorkDir == wd {
		return l
	}
	c := *l
	c.Reason = positionRE.ReplaceAllStringFunc(l.Reason, func(pos string) string {
		file, rest, _ := strings.Cut(pos, ":") // a relative path: no drive letter
		if filepath.IsAbs(file) {
			return pos
		}
		r, err := filepath.Rel(wd, filepath.Join(l.WorkDir, file))
		if err != nil {
			return pos
		}
		return r + ":" + rest
	})
	c.WorkDir = wd
	return &c
}

// Text is the last start in a sentence: "failed at last start: REASON,
// WHEN, via SURFACE" (WHEN in local time).
func (l *LastStart) Text() string {
	return fmt.Sprintf("failed at last start: %s, %s, via %s", l.Reason, l.At.Local().Format(time.RFC3339), l.Surface)
}

// lastStartPath is where plugin id's LastStart is kept.
func lastStartPath(dataDir, id string) string {
	return filepath.Join(dataDir, "plugins", id, "last-start.json")
}

// ReadLastStart returns plugin id's last failed start in dataDir; nil when
// none is kept (its last start worked, or none was recorded).
func ReadLastStart(dataDir, id string) (*LastStart, error) {
	data, err := os.ReadFile(lastStartPath(dataDir, id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l LastStart
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("%s: %w", lastStartPath(dataDir, id), err)
	}
	return &l, nil
}

// recordStart keeps the outcome of a start of plugin id on surface: a
// failure (err, masked with mask) as its LastStart, a success (err nil) by
// removing the one kept. Best effort: a data dir that cannot be written
// loses the record, never the start.
func recordStart(dataDir, workDir, id, surface string, err error, mask func(string) string) {
	if dataDir == "" || id == "" || surface == "" {
		return
	}
	path := lastStartPath(dataDir, id)
	if err == nil {
		_ = os.Remove(path)
		return
	}
	st := StateOf(nil, err, nil)
	l := LastStart{At: time.Now().UTC(), Surface: surface, Phase: st.Phase, Kind: st.Kind, Reason: mask(st.Reason), WorkDir: workDir}
	data, merr := json.MarshalIndent(l, "", "  ")
	if merr != nil {
		return
	}
	_ = plugin.WriteFileAtomic(path, append(data, '\n'))
}
