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

// PermissionsText is a plugin's permissions for a person.
func PermissionsText(ps plugin.Permissions) string {
	if !ps.Declared {
		return "unrestricted (it declares none)"
	}
	if len(ps.List) == 0 {
		return "none (it declares an empty list: no network, secrets, loop or files)"
	}
	return strings.Join(ps.List, ", ")
}
