package hosttest

import (
	"flag"
	"strconv"
)

// Parallel returns m whose Run lets at least n tests that call t.Parallel
// run at once, unless the command line says how many (-parallel). The
// testing package's default is GOMAXPROCS, the CPUs: right for tests that
// compute, too few for tests that spend their time waiting on processes
// of their own (the host binary, Node, Chromium, a D-Bus session, a
// registry), whose CPU is not the test binary's. Such a package calls
// `os.Exit(hosttest.Main(hosttest.Parallel(m, 8)))`, or with testscript
// passes hosttest.Parallel(hosttest.Wrap(m), 8) to testscript.Main.
func Parallel(m Runner, n int) Runner { return parallel{m, n} }

type parallel struct {
	m Runner
	n int
}

func (p parallel) Run() int {
	if !flag.Parsed() {
		flag.Parse() // what testing.M's Run would do first
	}
	atLeastParallel(flag.CommandLine, p.n)
	return p.m.Run()
}

// atLeastParallel raises fs's test.parallel to n when it is lower and was
// not given on the command line.
func atLeastParallel(fs *flag.FlagSet, n int) {
	f := fs.Lookup("test.parallel")
	if f == nil {
		return
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if cur, err := strconv.Atoi(f.Value.String()); given || err != nil || cur >= n {
		return
	}
	_ = fs.Set("test.parallel", strconv.Itoa(n))
}
