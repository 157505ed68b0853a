package jsrt

import (
	"errors"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long a Watcher waits after a change for more
// changes before reporting them: editors often write a file twice (truncate
// then write, or write a temp file then rename).
const DefaultDebounce = 8 * time.Millisecond

// Watcher reports changes to a set of files. It watches their directories,
// so editors that save by renaming a new file over the old one are seen.
// Methods are safe for concurrent use.
type Watcher struct {
	fw       *fsnotify.Watcher
	debounce time.Duration
	changes  chan []string
	errs     chan error

	mu      sync.Mutex
	files   map[string]bool
	dirs    map[string]bool
	pending map[string]bool
	timer   *time.Timer
	closed  bool
}

// NewWatcher starts a watcher with the given debounce (DefaultDebounce when
// zero). Close it when done.
func NewWatcher(debounce time.Duration) (*Watcher, error) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, WithHint(err, "raise the inotify limits (fs.inotify.max_user_instances / max_user_watches)")
	}
	w := &Watcher{fw: fw, debounce: debounce, changes: make(chan []string, 1), errs: make(chan error, 1),
		files: map[string]bool{}, dirs: map[string]bool{}, pending: map[string]bool{}}
	go w.loop()
	return w, nil
}

// Set replaces the watched files (absolute paths).
func (w *Watcher) Set(files []string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("watcher closed")
	}
	want := map[string]bool{}
	w.files = map[string]bool{}
	for _, f := range files {
		f = filepath.Clean(f)
		w.files[f] = true
		want[filepath.Dir(f)] = true
	}
	var errs []error
	for d := range want {
		if !w.dirs[d] {
			if err := w.fw.Add(d); err != nil {
				errs = append(errs, err)
				continue
			}
			w.dirs[d] = true
		}
	}
	for d := range w.dirs {
		if !want[d] {
			_ = w.fw.Remove(d)
			delete(w.dirs, d)
		}
	}
	return errors.Join(errs...)
}

// Changes delivers batches of changed files (sorted), one batch per quiet
// period. A batch not yet received merges with the next.
func (w *Watcher) Changes() <-chan []string { return w.changes }

// Errors delivers watch errors (e.g. the inotify queue overflowed).
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching.
func (w *Watcher) Close() error {
	w.mu.Lock()
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	return w.fw.Close()
}

func (w *Watcher) loop() {
	for {
		select {
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			name := filepath.Clean(ev.Name)
			w.mu.Lock()
			if w.files[name] && !w.closed {
				w.pending[name] = true
				if w.timer == nil {
					w.timer = time.AfterFunc(w.debounce, w.flush)
				} else {
					w.timer.Reset(w.debounce)
				}
			}
			w.mu.Unlock()
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		}
	}
}

func (w *Watcher) flush() {
	w.mu.Lock()
	if w.closed || len(w.pending) == 0 {
		w.mu.Unlock()
		return
	}
	batch := make([]string, 0, len(w.pending))
	for f := range w.pending {
		// A file renamed away and not (yet) back is still a change: the
		// rebuild reports it missing.
		batch = append(batch, f)
	}
	w.pending = map[string]bool{}
	w.mu.Unlock()
	sort.Strings(batch)
	for {
		select {
		case w.changes <- batch:
			return
		default:
		}
		// The consumer has not taken the previous batch: merge with it.
		select {
		case old := <-w.changes:
			batch = mergeSorted(old, batch)
		default:
		}
	}
}

func mergeSorted(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(a, b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
