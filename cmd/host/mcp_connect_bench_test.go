package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkMCPConnectVsNode measures what an AI client waits for when it
// connects to `host mcp` on stdio, side by side in one run with the
// official TypeScript SDK's stdio server on Node 22 serving the same tool
// (testdata/mcp-client/bench-stdio-server.mjs; host serves
// testdata/plugins/mcp-bench). Each run starts the server, sends
// initialize and waits for its answer (start-ms: process start and the
// handshake), then sends notifications/initialized and tools/list and
// waits for the list (list-ms), as clients do; total-ms is both. Runs
// alternate host, node, host... Reports the medians of b.N runs of each
// and the ratios host/node. Run with -benchtime=40x. Measured on 2 cores
// at load average ~27 (three runs): host 47-111 ms + 0.3-0.5 ms, node
// 880-1240 ms + 44-56 ms (host/node total 0.05-0.09, list 0.007-0.008).
func BenchmarkMCPConnectVsNode(b *testing.B) {
	node, dir := nodeHarness(b)
	_, _, env := hostBinary(b, nil)
	bin := builtHost(b)
	env = append(env, "HOST_DATA_DIR="+b.TempDir())
	plugin, _ := filepath.Abs("../../testdata/plugins/mcp-bench")
	servers := []struct {
		name string
		cmd  func() *exec.Cmd
	}{
		{"host", func() *exec.Cmd { c := exec.Command(bin, "mcp", plugin); c.Env = env; return c }},
		{"node", func() *exec.Cmd {
			c := exec.Command(node, filepath.Join(dir, "bench-stdio-server.mjs"))
			c.Dir = dir
			return c
		}},
	}
	// MCP_BENCH_BASE=/path/to/an/older/host adds it to the alternation
	// ("base"), for before/after figures of a change.
	if base := os.Getenv("MCP_BENCH_BASE"); base != "" {
		servers = append(servers, struct {
			name string
			cmd  func() *exec.Cmd
		}{"base", func() *exec.Cmd { c := exec.Command(base, "mcp", plugin); c.Env = env; return c }})
	}
	type times struct{ start, list []time.Duration }
	got := make([]times, len(servers))
	for _, s := range servers { // warm-up: host's bundle cache, node's module cache
		connectOnce(b, s.cmd())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, s := range servers {
			start, list := connectOnce(b, s.cmd())
			got[j].start = append(got[j].start, start)
			got[j].list = append(got[j].list, list)
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	total := func(t times) []time.Duration {
		var out []time.Duration
		for i := range t.start {
			out = append(out, t.start[i]+t.list[i])
		}
		return out
	}
	for j, s := range servers {
		b.ReportMetric(ms(median(got[j].start)), s.name+"-start-ms")
		b.ReportMetric(ms(median(got[j].list)), s.name+"-list-ms")
		b.ReportMetric(ms(median(total(got[j]))), s.name+"-total-ms")
	}
	b.ReportMetric(float64(median(total(got[0])))/float64(median(total(got[1]))), "host/node-total")
	b.ReportMetric(float64(median(got[0].list))/float64(median(got[1].list)), "host/node-list")
	for j, s := range servers {
		b.Logf("%s: median over %d runs: start %.1f ms + list %.2f ms", s.name, b.N, ms(median(got[j].start)), ms(median(got[j].list)))
	}
	if len(servers) > 2 {
		b.ReportMetric(float64(median(total(got[0])))/float64(median(total(got[2]))), "host/base-total")
		b.ReportMetric(float64(median(got[0].list))/float64(median(got[2].list)), "host/base-list")
	}
}

// connectOnce starts cmd as a stdio MCP server and returns how long the
// answer to initialize took from the start, and the answer to tools/list
// from sending it (after notifications/initialized).
func connectOnce(b *testing.B, cmd *exec.Cmd) (start, list time.Duration) {
	b.Helper()
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	answer := func(id int) string {
		prefix := fmt.Sprintf(`"id":%d`, id)
		for sc.Scan() {
			if strings.Contains(sc.Text(), prefix) && strings.Contains(sc.Text(), `"result"`) {
				return sc.Text()
			}
		}
		b.Fatalf("no answer to request %d (%v)", id, sc.Err())
		return ""
	}
	if _, err := io.WriteString(in, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n"); err != nil {
		b.Fatal(err)
	}
	answer(1)
	start = time.Since(t0)
	t1 := time.Now()
	if _, err := io.WriteString(in, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"+`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`+"\n"); err != nil {
		b.Fatal(err)
	}
	if l := answer(2); !strings.Contains(l, "bench_noop") {
		b.Fatalf("tools/list: %s", l)
	}
	return start, time.Since(t1)
}
