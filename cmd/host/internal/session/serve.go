package session

import (
	"errors"
	"os"
	"path/filepath"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/serve"
)

// DialServe connects to the serve running for the data dir (the flag's
// value, or the default); nil when none runs.
func DialServe(f *cmdutil.Factory, dataDirFlag string) (*serve.Client, string, error) {
	dataDir, err := f.DataDir(dataDirFlag)
	if err != nil {
		return nil, "", err
	}
	c, err := serve.Dial(dataDir)
	if errors.Is(err, serve.ErrNoServe) {
		return nil, dataDir, nil
	}
	return c, dataDir, err
}

// ServeName is how a running serve knows a PLUGIN argument: an absolute
// path when it names a file or directory here, else the id as given.
func ServeName(arg string) string {
	if _, err := os.Stat(arg); err == nil {
		if abs, err := filepath.Abs(arg); err == nil {
			return abs
		}
	}
	return arg
}
