package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"host/cmd/host/internal/demo"
)

// BenchmarkStartupBudget measures what each start-up optimisation in
// startup.go saves: `host run --once` of the token plugin (as in
// BenchmarkProcessRunOnce), all on against each one turned off with
// HOST_STARTUP_OFF, alternating within every iteration so that the noise of
// a shared machine falls on all settings alike. It reports per setting the
// median wall time and the median CPU time (user + system) of the process;
// all-on-again is a second all-on, the noise. HOST_BENCH_PEER_BIN adds
// another binary (say, main's) run all on beside them, as "peer".
func BenchmarkStartupBudget(b *testing.B) {
	srv := demo.NewAPI(scriptToken)
	defer srv.Close()
	_, _, env := hostBinary(b, srv.CertPEM())
	bin := builtHost(b)
	peer := os.Getenv("HOST_BENCH_PEER_BIN")
	dir := b.TempDir()
	plugin, _ := filepath.Abs("../../plugins/token-auth/plugin.ts")
	run := func(off string, extra ...string) (wall, cpu time.Duration) {
		args := append([]string{"run", "--once", "--data-dir", filepath.Join(dir, "data"),
			"--connect-to", "api.myservice.com:443:127.0.0.1:" + portOf(srv.Addr()), plugin}, extra...)
		cmd := exec.Command(bin, args...)
		if off == "peer" {
			cmd = exec.Command(peer, args...)
		}
		cmd.Env = append(append([]string(nil), env...), "HOST_STARTUP_OFF="+off)
		var errb strings.Builder
		cmd.Stderr = &errb
		cmd.Stdout = io.Discard
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("HOST_STARTUP_OFF=%s: %v: %s", off, err, errb.String())
		}
		wall = time.Since(start)
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	run("", "--set", "token="+scriptToken) // set up once; the measured runs ask nothing
	settings := []string{"", "none", "gogc", "roots", "cache"}
	if peer != "" {
		settings = append(settings, "peer")
	}
	walls := make([][]time.Duration, len(settings))
	cpus := make([][]time.Duration, len(settings))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, off := range settings {
			w, c := run(off)
			walls[j] = append(walls[j], w)
			cpus[j] = append(cpus[j], c)
		}
	}
	b.StopTimer()
	median := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	for j, off := range settings {
		name := "all-on"
		switch off {
		case "none":
			name = "all-on-again" // the noise: a second all-on
		case "peer":
			name = "peer"
		case "":
		default:
			name = off + "-off"
		}
		b.ReportMetric(median(walls[j]), name+"-wall-ms")
		b.ReportMetric(median(cpus[j]), name+"-cpu-ms")
	}
}
