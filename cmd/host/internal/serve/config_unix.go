//go:build !windows

package serve

import (
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"sync"
)

// configPipe carries a worker's ConfigValues: the worker reads the pipe
// (ConfigFDFlag) once it has loaded its plugin; the supervisor writes
// them when it knows which plugin that is.
type configPipe struct {
	r, w *os.File
	once sync.Once
}

// configPipe gives cmd the read end of a new pipe as its ConfigFDFlag.
func (sl *slot) configPipe(cmd *exec.Cmd) (*configPipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles, r)
	cmd.Args = append(cmd.Args, "--"+ConfigFDFlag, strconv.Itoa(2+len(cmd.ExtraFiles)))
	return &configPipe{r: r, w: w}, nil
}

// started closes the supervisor's copy of the read end (the worker has
// its own).
func (c *configPipe) started() {
	if c != nil {
		_ = c.r.Close()
	}
}

// send writes plugin id's values, once every plugin has said its id, on
// a goroutine of its own, and closes the pipe.
func (c *configPipe) send(s *Supervisor, id string) {
	if c == nil {
		return
	}
	c.once.Do(func() {
		go func() {
			_ = json.NewEncoder(c.w).Encode(s.configValues(id))
			_ = c.w.Close()
		}()
	})
}

// close closes the pipe if nothing was sent (the worker reads nothing).
func (c *configPipe) close() {
	if c == nil {
		return
	}
	c.started()
	c.once.Do(func() { _ = c.w.Close() })
}
