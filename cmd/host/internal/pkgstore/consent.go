package pkgstore

import (
	"slices"
	"strings"
)

// Description is what loading a plugin tells about it, reported by the
// process that loaded it (see Store.Describe).
type Description struct {
	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`
	Permissions []string `json:"permissions"` // as declared
	Tools       []Tool   `json:"tools"`
	Loop        bool     `json:"loop,omitempty"` // it has a loop (runs in the background)
	Auth        string   `json:"auth,omitempty"` // "token", "oauth2" or ""
}

// Tool is one of a plugin's tools with its marks.
type Tool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ReadOnly    bool   `json:"readOnly,omitempty"`
	SideEffects bool   `json:"sideEffects,omitempty"`
	Approval    string `json:"approval,omitempty"` // "always", "suggest", "never"
}

// Marks are the tool's side-effect and approval marks in plain words.
func (t Tool) Marks() []string {
	var m []string
	switch {
	case t.ReadOnly:
		m = append(m, "read-only")
	case t.SideEffects:
		m = append(m, "changes things")
	}
	switch t.Approval {
	case "always":
		m = append(m, "asks you before each run")
	case "suggest":
		m = append(m, "suggests asking you")
	}
	return m
}

// PermissionWords words a plugin's declared permissions for the user,
// with the SDK's meaning: a category the plugin declares nothing of is
// allowed and shown as such ("network: any host" when no network
// permission is declared). loop says whether the plugin has a loop.
func PermissionWords(declared []string, loop bool) []string {
	var network []string
	var secretsRead, secretsWrite, fsRead, fsWrite, background, anyNet, declSecrets, declFS, declLoop bool
	for _, p := range declared {
		switch {
		case strings.HasPrefix(p, "network:"):
			h := strings.TrimPrefix(p, "network:")
			if h == "*" {
				anyNet = true
			} else if !slices.Contains(network, h) {
				network = append(network, h)
			}
		case p == "secrets:read":
			secretsRead, declSecrets = true, true
		case p == "secrets:write":
			secretsWrite, declSecrets = true, true
		case p == "filesystem:read":
			fsRead, declFS = true, true
		case p == "filesystem:write", strings.HasPrefix(p, "filesystem:") && p != "filesystem:": // the SDK's filesystem:<path> is filesystem:write
			fsRead, fsWrite, declFS = true, true, true
		case p == "loop:background":
			background, declLoop = true, true
		default:
			if k, _, ok := strings.Cut(p, ":"); ok {
				switch k {
				case "secrets":
					declSecrets = true
				case "filesystem":
					declFS = true
				case "loop":
					declLoop = true
				}
			}
		}
	}
	var out []string
	switch {
	case anyNet || len(network) == 0:
		out = append(out, "network: any host")
	default:
		for _, h := range network {
			out = append(out, "network: "+h)
		}
	}
	if !declSecrets {
		secretsRead, secretsWrite = true, true
	}
	switch {
	case secretsRead && secretsWrite:
		out = append(out, "reads and writes its secrets")
	case secretsRead:
		out = append(out, "reads its secrets")
	case secretsWrite:
		out = append(out, "writes its secrets")
	}
	if !declFS {
		fsRead, fsWrite = true, true
	}
	switch {
	case fsWrite:
		out = append(out, "reads and writes files in its own data folder")
	case fsRead:
		out = append(out, "reads files in its own data folder")
	}
	if background || (!declLoop && loop) {
		out = append(out, "runs in the background")
	}
	return out
}

// Summary is what the user consents to before a plugin is installed or
// updated: who made it, what it may do and which tools it brings.
type Summary struct {
	ID           string     `json:"id"`
	Package      string     `json:"package"`
	Version      string     `json:"version"`
	Source       string     `json:"source"`
	Publisher    string     `json:"publisher,omitempty"`
	DisplayName  string     `json:"displayName,omitempty"`
	Description  string     `json:"description,omitempty"`
	Permissions  []string   `json:"permissions"` // plain words
	Tools        []ToolLine `json:"tools"`
	Dependencies int        `json:"dependencies"`
	// Update is set when this replaces an installed version.
	Update *UpdateInfo `json:"update,omitempty"`
}

// ToolLine is a tool as the consent shows it.
type ToolLine struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Marks       []string `json:"marks,omitempty"`
}

// UpdateInfo is what an update changes.
type UpdateInfo struct {
	From      string   `json:"from"`
	Added     []string `json:"added,omitempty"`   // permissions (plain words) the new version gains
	Removed   []string `json:"removed,omitempty"` // permissions it drops
	Changelog string   `json:"changelog,omitempty"`
}

// NeedsConsent reports whether the user must be asked: always for an
// install, for an update only when its permissions grew.
func (s *Summary) NeedsConsent() bool { return s.Update == nil || len(s.Update.Added) > 0 }

// diffWords is what b has that a lacks.
func diffWords(a, b []string) []string {
	var out []string
	for _, w := range b {
		if !slices.Contains(a, w) {
			out = append(out, w)
		}
	}
	return out
}

func summaryOf(r *Record, deps int) *Summary {
	s := &Summary{ID: r.ID, Package: r.Package, Version: r.Version, Source: r.Source, Publisher: r.Publisher,
		DisplayName: r.DisplayName, Description: r.Description, Permissions: PermissionWords(r.Permissions, r.Loop),
		Dependencies: deps, Tools: []ToolLine{}}
	for _, t := range r.Tools {
		s.Tools = append(s.Tools, ToolLine{Name: t.Name, Description: t.Description, Marks: t.Marks()})
	}
	return s
}

// SummaryOf is what the user consented to for installed plugin r: the
// consent `host install` showed, shown again by the setup page before the
// plugin's first setup.
func SummaryOf(r *Record) *Summary { return summaryOf(r, r.Dependencies) }
