// Package trim gives back the memory an idle host process does not need:
// a worker once its plugin is active, the serve once its workers are.
package trim

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// Idle gives back what an idle process does not need: the heap's
// free pages, and the executable's read-only pages it mapped while it
// started (the kernel maps a file's cached pages in chunks around each
// fault; dropping the mapping keeps them in the page cache, shared, and
// maps back on use what the plugin touches). Writable mappings are left
// alone. Best effort.
func Idle() {
	debug.FreeOSMemory()
	exe, err := os.Executable()
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	defer f.Close()
	type span struct{ start, end uint64 }
	var spans []span
	var cur *span
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "Anonymous:" {
			// A page written since the mapping (relocations) lives only
			// here: such a mapping is not dropped.
			if cur != nil && fields[1] == "0" {
				spans = append(spans, *cur)
			}
			cur = nil
			continue
		}
		// 00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/host
		if len(fields) < 6 || !strings.Contains(fields[0], "-") {
			continue
		}
		cur = nil
		if fields[5] != exe || strings.Contains(fields[1], "w") {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && end > start {
			cur = &span{start, end}
		}
	}
	for _, s := range spans {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(s.start), uintptr(s.end-s.start), syscall.MADV_DONTNEED)
	}
}
