package mcpserver

import (
	"os"
	"testing"

	"host/internal/hosttest"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }
