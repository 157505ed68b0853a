package serve

import (
	"os"
	"strconv"
)

// residentBytes is the resident set of process pid (from /proc).
func residentBytes(pid int) (int64, bool) {
	if pid <= 0 {
		return 0, false
	}
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var buf [80]byte
	n, _ := f.ReadAt(buf[:], 0)
	return statmResident(buf[:n])
}

// rssReader reads processes' resident sets as residentBytes does, but
// keeps each /proc/PID/statm open and reads it in place into one buffer:
// the supervisor polls every worker four times a second for as long as it
// serves, and opening and reading the file anew each time (about 150 KB/s
// of garbage for 20 workers) grew an idle serve's heap until the
// collector's goal: from 7 to 24 MiB PSS in its first 90 s (issue 23 §3).
type rssReader struct {
	open map[int]*statmFile
	buf  [80]byte
}

type statmFile struct {
	f    *os.File
	read bool // since the last sweep
}

// read is pid's resident set. A file that fails to read (its process
// ended) is closed.
func (r *rssReader) read(pid int) (int64, bool) {
	if pid <= 0 {
		return 0, false
	}
	sf := r.open[pid]
	if sf == nil {
		f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			return 0, false
		}
		if r.open == nil {
			r.open = map[int]*statmFile{}
		}
		sf = &statmFile{f: f}
		r.open[pid] = sf
	}
	sf.read = true
	n, _ := sf.f.ReadAt(r.buf[:], 0)
	rss, ok := statmResident(r.buf[:n])
	if !ok {
		sf.f.Close()
		delete(r.open, pid)
	}
	return rss, ok
}

// sweep closes the files not read since the last sweep (workers gone).
func (r *rssReader) sweep() {
	for pid, sf := range r.open {
		if !sf.read {
			sf.f.Close()
			delete(r.open, pid)
		}
		sf.read = false
	}
}

// close closes every file.
func (r *rssReader) close() {
	for pid, sf := range r.open {
		sf.f.Close()
		delete(r.open, pid)
	}
}

// statmResident is the resident set in /proc/PID/statm's text ("size
// resident shared ...", in pages), in bytes.
func statmResident(b []byte) (int64, bool) {
	i := 0
	for i < len(b) && b[i] != ' ' { // size
		i++
	}
	i++
	var pages int64
	digits := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		pages = pages*10 + int64(b[i]-'0')
		digits++
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
