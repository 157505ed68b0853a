package session

import (
	"fmt"
	"strings"

	"host/bindings/plugin"
	"host/bindings/store"
)

// StatusText is a plugin's status for a person: "connected: Synced 3
// issues (50%)".
func StatusText(st store.Status) string {
	s := st.State
	if st.Message != "" {
		s += ": " + st.Message
	}
	if st.Progress != nil {
		s += fmt.Sprintf(" (%g)", *st.Progress)
	}
	return s
}

// PermissionsText is a plugin's permissions for a person, one category
// after another, saying plainly what an undeclared category allows
// ("network: any host (not declared); secrets: read; ...").
func PermissionsText(ps plugin.Permissions) string {
	return strings.Join(ps.Summary(), "; ")
}
