package jsrt

import "testing"

// TestCleanControls: the attack strings a plugin printed come out as
// visible escapes; newline, tab and other text stay as they are.
func TestCleanControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcode\tand\nlines":            "plain text, ünïcode\tand\nlines",
		"\x1b]52;c;ZXZpbA==\x07":                     `\x1b]52;c;ZXZpbA==\x07`,
		"\x1b]8;;https://evil/\x1b\\x\x1b]8;;\x1b\\": `\x1b]8;;https://evil/\x1b\x\x1b]8;;\x1b\`,
		"\x1b[2K\rhost: forged":                      `\x1b[2K\x0dhost: forged`,
		"\u009b31m\u009d52;c;eA==\u009c":             `\u009b31m\u009d52;c;eA==\u009c`,
		"nul\x00 del\x7f bell\a":                     `nul\x00 del\x7f bell\x07`,
		"\u00a0 and \u00c2 stay":                     "\u00a0 and \u00c2 stay",
	} {
		if got := CleanControls(in); got != want {
			t.Errorf("CleanControls(%q) = %q, want %q", in, got, want)
		}
	}
}
