package secrets_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"host/bindings/secrets"
	"host/internal/hosttest"
	"host/jsrt"
)

const (
	fakePassphrase = "fake-passphrase-1"
	fileValue      = "fake-file-secret-value-42"
)

func openFile(t *testing.T, path, pass string) *secrets.File {
	t.Helper()
	f, err := secrets.OpenFile(path, []byte(pass))
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestFileRoundTripAcrossReopen(t *testing.T) {
	defer secrets.UseProductionKDF()()
	path := filepath.Join(t.TempDir(), secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	if f.Name() != "file" || f.Path() != path {
		t.Fatalf("Name, Path = %q, %q", f.Name(), f.Path())
	}
	values := map[[2]string]string{
		{"host:a", "token"}:        fileValue,
		{"host:a", "config.token"}: "fake-päss-wörd-🔑",
		{"host:b", "token"}:        strings.Repeat("fake-10KB-", 1024),
		{"host:b", "empty"}:        "",
	}
	for k, v := range values {
		if err := f.Set(ctx, k[0], k[1], v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Delete(ctx, "host:a", "token"); err != nil {
		t.Fatal(err)
	}
	delete(values, [2]string{"host:a", "token"})
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	g := openFile(t, path, fakePassphrase)
	for k, v := range values {
		if got, err := g.Get(ctx, k[0], k[1]); err != nil || got != v {
			t.Errorf("after reopen, Get(%s, %s) = %d bytes, %v; want %d bytes", k[0], k[1], len(got), err, len(v))
		}
	}
	if _, err := g.Get(ctx, "host:a", "token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("deleted value: err = %v, want ErrNotFound", err)
	}
	if err := g.Delete(ctx, "host:a", "token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Delete of a missing value: err = %v, want ErrNotFound", err)
	}
	if _, err := g.Get(ctx, "host:c", "token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("unknown service: err = %v, want ErrNotFound", err)
	}
}

func TestFileWrongPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	if err := f.Set(ctx, "host:a", "token", fileValue); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	_, err := secrets.OpenFile(path, []byte("fake-wrong-passphrase"))
	if !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Fatalf("err = %v, want ErrWrongPassphrase", err)
	}
	want := "the passphrase does not open " + path + "; check HOST_SECRETS_PASSPHRASE"
	if err.Error() != want {
		t.Errorf("message = %q\nwant %q", err.Error(), want)
	}
	var c jsrt.Coder
	if !errors.As(err, &c) || c.Code() != "ERR_SECRET_WRONG_PASSPHRASE" {
		t.Errorf("code = %v", c)
	}
	if strings.Contains(err.Error(), "fake-wrong") {
		t.Error("the message shows the passphrase")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a wrong passphrase changed the file")
	}
	if got, err := f.Get(ctx, "host:a", "token"); err != nil || got != fileValue {
		t.Errorf("the right passphrase no longer reads the value: %v", err)
	}
	if _, err := secrets.OpenFile(path, nil); err == nil || !strings.Contains(err.Error(), secrets.PassphraseEnv) {
		t.Errorf("empty passphrase: err = %v", err)
	}
}

func TestFileDamaged(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(data []byte) []byte
		detail string
	}{
		{"flipped ciphertext byte", func(d []byte) []byte { d[len(d)-20] ^= 1; return d }, "fail authentication"},
		{"flipped header byte", func(d []byte) []byte { d[20] ^= 1; return d }, ""}, // the salt: reads as another passphrase
		{"truncated", func(d []byte) []byte { return d[:60] }, "truncated"},
		{"empty", func([]byte) []byte { return nil }, "not a host secrets file"},
		{"not ours", func([]byte) []byte { return []byte(`{"host:a":{"token":"x"}}`) }, "not a host secrets file"},
		{"absurd KDF cost", func(d []byte) []byte { d[14] = 0xff; return d }, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), secrets.FileName)
			f := openFile(t, path, fakePassphrase)
			if err := f.Set(ctx, "host:a", "token", fileValue); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			damaged := tt.damage(bytes.Clone(data))
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := secrets.OpenFile(path, []byte(fakePassphrase))
			if tt.detail == "" {
				if !errors.Is(err, secrets.ErrWrongPassphrase) && !errors.Is(err, secrets.ErrCorruptFile) {
					t.Fatalf("err = %v, want a FileError", err)
				}
			} else if !errors.Is(err, secrets.ErrCorruptFile) || !strings.Contains(err.Error(), tt.detail) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want ErrCorruptFile mentioning %q and the path", err, tt.detail)
			}
			// The open handle refuses to write over it too.
			if err := f.Set(ctx, "host:a", "other", "fake-other"); err == nil {
				t.Fatal("Set overwrote a damaged file")
			}
			if _, err := f.Get(ctx, "host:a", "token"); err == nil {
				t.Fatal("Get read a damaged file")
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, damaged) {
				t.Fatal("the damaged file was changed")
			}
		})
	}
}

func TestFileNeverHoldsPlaintext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	for i := range 5 {
		if err := f.Set(ctx, "host:leak-check", fmt.Sprintf("k%d", i), fileValue); err != nil {
			t.Fatal(err)
		}
	}
	forms := []string{fileValue, base64.StdEncoding.EncodeToString([]byte(fileValue)), fakePassphrase, "leak-check"}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forms {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains %q in plaintext", e.Name(), s)
			}
		}
		info, _ := e.Info()
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), perm)
		}
	}
	if len(entries) != 2 { // secrets.enc and its lock file, no temp files
		t.Errorf("data dir holds %d files, want secrets.enc and secrets.enc.lock", len(entries))
	}
}

// Two handles have separate lock files open, as two processes do.
func TestFileTwoHandlesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	ctx := context.Background()
	a := openFile(t, path, fakePassphrase)
	b := openFile(t, path, fakePassphrase)
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for _, h := range []struct {
		f    *secrets.File
		name string
	}{{a, "a"}, {b, "b"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				errs <- h.f.Set(ctx, "host:shared", fmt.Sprintf("%s%d", h.name, i), fmt.Sprintf("fake-%s-%d", h.name, i))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []*secrets.File{a, b} {
		for _, name := range []string{"a", "b"} {
			for i := range n {
				if v, err := h.Get(ctx, "host:shared", fmt.Sprintf("%s%d", name, i)); err != nil || v != fmt.Sprintf("fake-%s-%d", name, i) {
					t.Fatalf("%s%d: %q, %v", name, i, v, err)
				}
			}
		}
	}
}

func TestFileTwoProcessesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	openFile(t, path, fakePassphrase) // create it first, so both use one salt
	const n = 30
	var wg sync.WaitGroup
	for _, name := range []string{"p", "q"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := fileHelper(t, "write", path, "FILE_HELPER_PREFIX="+name, "FILE_HELPER_N="+strconv.Itoa(n)).CombinedOutput()
			if err != nil {
				t.Errorf("writer %s: %v\n%s", name, err, out)
			}
		}()
	}
	wg.Wait()
	g := openFile(t, path, fakePassphrase)
	for _, name := range []string{"p", "q"} {
		for i := range n {
			if v, err := g.Get(context.Background(), "host:shared", fmt.Sprintf("%s%d", name, i)); err != nil || v != fmt.Sprintf("fake-%s-%d", name, i) {
				t.Errorf("%s%d: %q, %v", name, i, v, err)
			}
		}
	}
}

// A writer killed after writing its temp file and before renaming it
// leaves the previous file intact and readable; the next write cleans up.
func TestFileCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	if err := f.Set(ctx, "host:a", "old", fileValue); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	out, err := fileHelper(t, "crash", path).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.String() != "signal: killed" {
		t.Fatalf("helper did not die by SIGKILL: %v\n%s", err, out)
	}
	temps, _ := filepath.Glob(filepath.Join(dir, ".secrets.enc.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("temp files after the crash: %q, want the one the writer left", temps)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the crash changed the secrets file")
	}
	g := openFile(t, path, fakePassphrase)
	if v, err := g.Get(ctx, "host:a", "old"); err != nil || v != fileValue {
		t.Fatalf("old value after the crash: %v", err)
	}
	if _, err := g.Get(ctx, "host:a", "new"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("the unrenamed write is visible: %v", err)
	}
	if err := g.Set(ctx, "host:a", "next", "fake-next"); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".secrets.enc.tmp-*")); len(temps) != 0 {
		t.Fatalf("the next write left the stray temp file: %q", temps)
	}
}

func TestFileLockHonoursContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	a := openFile(t, path, fakePassphrase)
	b := openFile(t, path, fakePassphrase)
	held := make(chan struct{})
	release := make(chan struct{})
	secrets.SetTestHookBeforeRename(func(string) {
		close(held)
		<-release
	})
	done := make(chan error, 1)
	go func() { done <- a.Set(context.Background(), "host:a", "k", "fake-1") }()
	<-held
	secrets.SetTestHookBeforeRename(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.Set(ctx, "host:a", "k2", "fake-2")
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "another process holds its lock") {
		t.Fatalf("Set while another handle writes, with a cancelled ctx: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// fileHelper returns a command running TestHelperFile in a child process.
func fileHelper(t *testing.T, mode, path string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFile$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), "FILE_HELPER="+mode, "FILE_HELPER_PATH="+path), env...)
	return cmd
}

// TestHelperFile is not a test: fileHelper runs it in a child process.
func TestHelperFile(t *testing.T) {
	mode := os.Getenv("FILE_HELPER")
	if mode == "" {
		t.Skip("helper process for the file backend tests")
	}
	f, err := secrets.OpenFile(os.Getenv("FILE_HELPER_PATH"), []byte(fakePassphrase))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	switch mode {
	case "crash":
		secrets.SetTestHookBeforeRename(func(string) {
			p, _ := os.FindProcess(os.Getpid())
			_ = p.Kill() // SIGKILL: no deferred cleanup runs
		})
		_ = f.Set(ctx, "host:a", "new", "fake-new")
		t.Fatal("still alive after the rename hook")
	case "write":
		n, _ := strconv.Atoi(os.Getenv("FILE_HELPER_N"))
		prefix := os.Getenv("FILE_HELPER_PREFIX")
		for i := range n {
			if err := f.Set(ctx, "host:shared", fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("fake-%s-%d", prefix, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func BenchmarkOpenFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), secrets.FileName)
	f, err := secrets.OpenFile(path, []byte(fakePassphrase))
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	for b.Loop() {
		f, err := secrets.OpenFile(path, []byte(fakePassphrase))
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// LockFile excludes every other holder of the same path (each call opens
// its own file, as another process would) until released, and gives up
// when ctx ends.
func TestLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locks", "refresh.lock")
	release, err := secrets.LockFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := secrets.LockFile(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second LockFile while held: %v, want the deadline", err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := secrets.LockFile(t.Context(), path)
		if err == nil {
			r()
		}
		got <- err
	}()
	// Release once it waits: its goroutine is in waitLock's polling loop.
	hosttest.WaitFor(t, time.Minute, "the second LockFile to wait", func() bool {
		buf := make([]byte, 1<<20)
		return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "host/bindings/secrets.waitLock(")
	}, func() string { return "no goroutine in waitLock" })
	release()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiting LockFile did not get the lock after release")
	}
}

// ChangePassphrase keeps every secret, locks out the old passphrase (also
// for a handle another process opened with it), and a crash before the
// new file replaces the old leaves the old one, readable as before.
func TestFileChangePassphrase(t *testing.T) {
	const newPass = "fake-passphrase-2"
	path := filepath.Join(t.TempDir(), secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	for _, k := range []string{"token", "api_key"} {
		if err := f.Set(ctx, "host:a", k, fileValue+"-"+k); err != nil {
			t.Fatal(err)
		}
	}
	other := openFile(t, path, fakePassphrase) // another process, old passphrase

	// A crash between writing the new file and the rename: nothing changes.
	secrets.SetTestHookBeforeRename(func(string) { panic("crash") })
	func() {
		defer func() { _ = recover() }()
		_ = f.ChangePassphrase(ctx, []byte(newPass))
	}()
	secrets.SetTestHookBeforeRename(nil)
	if got, err := other.Get(ctx, "host:a", "token"); err != nil || got != fileValue+"-token" {
		t.Fatalf("after a crashed change the old passphrase no longer reads: %q, %v", got, err)
	}

	f = openFile(t, path, fakePassphrase)
	if err := f.ChangePassphrase(ctx, []byte(newPass)); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Get(ctx, "host:a", "api_key"); err != nil || got != fileValue+"-api_key" {
		t.Errorf("the changing handle reads %q, %v", got, err)
	}
	if _, err := other.Get(ctx, "host:a", "token"); !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Errorf("a handle with the old passphrase: %v, want ErrWrongPassphrase", err)
	}
	if _, err := secrets.OpenFile(path, []byte(fakePassphrase)); !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Errorf("reopening with the old passphrase: %v, want ErrWrongPassphrase", err)
	}
	g := openFile(t, path, newPass)
	for _, k := range []string{"token", "api_key"} {
		if got, err := g.Get(ctx, "host:a", k); err != nil || got != fileValue+"-"+k {
			t.Errorf("%s with the new passphrase: %q, %v", k, got, err)
		}
	}
	if err := g.ChangePassphrase(ctx, nil); err == nil {
		t.Error("an empty new passphrase was accepted")
	}
}

// TestFileKey: a File opened with another's Key (OpenFileKey, no
// derivation) reads what the passphrase's File wrote and writes what it
// reads; a rollback of a failed passphrase change keeps it working; once
// the passphrase changed the key opens nothing (ErrWrongPassphrase); a
// key with another salt or check value, or a truncated one, does not open
// the file.
func TestFileKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	ctx := context.Background()
	f := openFile(t, path, fakePassphrase)
	if err := f.Set(ctx, "host:a", "token", fileValue); err != nil {
		t.Fatal(err)
	}
	key, err := f.Key()
	if err != nil {
		t.Fatal(err)
	}
	k, err := secrets.OpenFileKey(path, key)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if got, err := k.Get(ctx, "host:a", "token"); err != nil || got != fileValue {
		t.Fatalf("the key's File reads %q, %v", got, err)
	}
	if err := k.Set(ctx, "host:b", "token", fileValue+"-b"); err != nil {
		t.Fatal(err)
	}
	if got, err := openFile(t, path, fakePassphrase).Get(ctx, "host:b", "token"); err != nil || got != fileValue+"-b" {
		t.Fatalf("the passphrase reads what the key wrote: %q, %v", got, err)
	}

	// A change that fails (its new file gone before the rename) leaves
	// the key's File reading: it has no old passphrase to derive from.
	secrets.SetTestHookBeforeRename(func(tmp string) { os.Remove(tmp) })
	if err := k.ChangePassphrase(ctx, []byte("fake-passphrase-3")); err == nil {
		t.Fatal("the change did not fail")
	}
	secrets.SetTestHookBeforeRename(nil)
	if got, err := k.Get(ctx, "host:a", "token"); err != nil || got != fileValue {
		t.Fatalf("after a failed change the key's File reads %q, %v", got, err)
	}

	for _, at := range []int{12, 30} { // in the salt, in the check value
		bad := bytes.Clone(key)
		bad[at] ^= 1
		if _, err := secrets.OpenFileKey(path, bad); !errors.Is(err, secrets.ErrWrongPassphrase) {
			t.Errorf("a key with bit %d changed: %v, want ErrWrongPassphrase", at*8, err)
		}
	}
	if _, err := secrets.OpenFileKey(path, key[:10]); err == nil {
		t.Error("a truncated key opened the file")
	}

	if err := f.ChangePassphrase(ctx, []byte("fake-passphrase-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, "host:a", "token"); !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Errorf("the key after the passphrase changed: %v, want ErrWrongPassphrase", err)
	}
	if _, err := secrets.OpenFileKey(path, key); !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Errorf("opening with the old key: %v, want ErrWrongPassphrase", err)
	}
}

// BenchmarkOpenFileKey: opening a file of the production KDF with its
// passphrase (derive: argon2id) and with the key a File of it gave (key:
// what a serve's page worker does). Run them side by side:
// go test -run X -bench OpenFileKey -count 6 ./bindings/secrets.
func BenchmarkOpenFileKey(b *testing.B) {
	defer secrets.UseProductionKDF()()
	path := filepath.Join(b.TempDir(), secrets.FileName)
	f, err := secrets.OpenFile(path, []byte(fakePassphrase))
	if err != nil {
		b.Fatal(err)
	}
	key, _ := f.Key()
	f.Close()
	b.Run("derive", func(b *testing.B) {
		for b.Loop() {
			f, err := secrets.OpenFile(path, []byte(fakePassphrase))
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("key", func(b *testing.B) {
		for b.Loop() {
			f, err := secrets.OpenFileKey(path, key)
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
}
