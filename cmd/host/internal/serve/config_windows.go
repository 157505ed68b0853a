package serve

import (
	"os/exec"
	"sort"
)

// configPipe: Windows cannot hand a child a pipe as an extra file
// descriptor (os/exec's ExtraFiles), so a worker gets its plugin's
// config values in its environment and command line at start, with the
// ids known then (a plugin declaring an id other than its file's is known
// by its file's until its first start).
type configPipe struct{}

func (sl *slot) configPipe(cmd *exec.Cmd) (*configPipe, error) {
	s := sl.sup
	cv := configFor(sl.snapshot().ID, s.servedIDs(), s.opts.Environ, s.opts.Set)
	for k, v := range cv.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	keys := make([]string, 0, len(cv.Set))
	for k := range cv.Set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd.Args = append(cmd.Args, "--set", k+"="+cv.Set[k])
	}
	return nil, nil
}

func (c *configPipe) started()                      {}
func (c *configPipe) send(s *Supervisor, id string) {}
func (c *configPipe) close()                        {}
