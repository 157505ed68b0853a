package secrets

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// FileName is the encrypted secrets file's name in the data dir.
const FileName = "secrets.enc"

// PassphraseEnv is the environment variable the CLI reads the file
// backend's passphrase from (else it prompts).
const PassphraseEnv = "HOST_SECRETS_PASSPHRASE"

// Sentinels for *FileError kinds.
var (
	// ErrWrongPassphrase: the passphrase does not open the file.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrCorruptFile: the file is damaged or not a secrets file; it is left
	// untouched.
	ErrCorruptFile = errors.New("secrets file is damaged")
)

// FileError reports a secrets file the passphrase does not open
// (Kind ErrWrongPassphrase) or that is damaged (Kind ErrCorruptFile).
// errors.Is matches Kind. The message names the file and what to do; it
// never holds the passphrase or a secret.
type FileError struct {
	Path   string
	Kind   error
	Detail string // what is wrong, for ErrCorruptFile
}

func (e *FileError) Error() string {
	if e.Kind == ErrWrongPassphrase {
		return fmt.Sprintf("the passphrase does not open %s; check %s", e.Path, PassphraseEnv)
	}
	return fmt.Sprintf("secrets file %s is damaged (%s); it was left untouched: restore it from a backup, or move it away to start an empty one (its secrets are then lost)", e.Path, e.Detail)
}

// Is matches Kind.
func (e *FileError) Is(target error) bool { return target == e.Kind }

// Code is the stable code a JS error carries.
func (e *FileError) Code() string {
	if e.Kind == ErrWrongPassphrase {
		return "ERR_SECRET_WRONG_PASSPHRASE"
	}
	return "ERR_SECRET_FILE_DAMAGED"
}

// KDF parameters for new files: argon2id with 64 MiB, 3 passes, 2 lanes
// (about 75 ms warm, 150 ms in a fresh process on a 2-core 2025 machine;
// BenchmarkOpenFile measures it). The parameters are stored in each file,
// so files keep opening if these change. Variables only for the package's
// tests (SetTestKDF), which would spend most of their time deriving.
var (
	kdfTime    uint32 = 3
	kdfMemory  uint32 = 64 << 10 // KiB
	kdfThreads uint8  = 2
)

// File format, version 1 (integers big-endian):
//
//	magic    [8]  "HOSTSECR"
//	version  [1]  1
//	kdf      [1]  1 = argon2id
//	time     [4]  passes
//	memory   [4]  KiB
//	threads  [1]
//	salt     [16]
//	check    [16] SHA-256("host-secrets-check" || argon2 bytes 32..63)[:16]
//	nonce    [24] fresh for every write
//	sealed   XChaCha20-Poly1305(key = argon2 bytes 0..31, nonce,
//	         plaintext = JSON {service: {user: value}}, additional data =
//	         every byte before the nonce)
//
// The check value tells a wrong passphrase from a damaged file; it lets an
// attacker test a guess exactly as the AEAD tag already does.
const (
	fileMagic   = "HOSTSECR"
	fileVersion = 1
	kdfArgon2id = 1
	saltLen     = 16
	checkLen    = 16
	headerLen   = 8 + 1 + 1 + 4 + 4 + 1 + saltLen + checkLen
	sealedStart = headerLen + chacha20poly1305.NonceSizeX
)

// lockWait bounds how long OpenFile waits for another process's lock.
const lockWait = 10 * time.Second

type kdfParams struct {
	time, memory uint32
	threads      uint8
	salt         [saltLen]byte
}

// File is the encrypted-file Backend, the explicit opt-in alternative to
// the OS keyring: every secret lives in one file (mode 0600), sealed with
// XChaCha20-Poly1305 under a key derived from a passphrase with argon2id.
//
// Every call re-reads the file, so several processes share it; a change
// takes an exclusive lock (flock on "<path>.lock"), re-reads, and replaces
// the file atomically (temp file in the same dir, fsync, rename, fsync of
// the dir), so a crash leaves the previous or the new file, never a mix.
// Stray temp files of a crashed writer are removed by the next write. A
// damaged file is reported (ErrCorruptFile) and never overwritten.
//
// Safe for concurrent use. Calls block while another process holds the
// lock, until ctx ends. Close releases the lock file.
type File struct {
	path string
	pass []byte

	mu     sync.Mutex // serialises this handle's calls (flock is per open file)
	lock   *os.File
	params kdfParams
	key    []byte
	check  [checkLen]byte
}

// OpenFile opens the secrets file at path with passphrase, creating it
// (and nothing else: the directory must exist) when it does not exist. It
// derives the key once, which costs about 100-300 ms and 64 MiB. A wrong
// passphrase is a *FileError matching ErrWrongPassphrase, a damaged file
// one matching ErrCorruptFile; neither changes anything on disk.
func OpenFile(path string, passphrase []byte) (*File, error) {
	if len(passphrase) == 0 {
		return nil, fmt.Errorf("no passphrase for %s: set %s or enter one when asked", path, PassphraseEnv)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(abs+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	f := &File{path: abs, pass: bytes.Clone(passphrase), lock: lock}
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	err = f.locked(ctx, true, func() error {
		_, err := f.readLocked()
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if _, err := rand.Read(f.params.salt[:]); err != nil {
			return err
		}
		f.params.time, f.params.memory, f.params.threads = kdfTime, kdfMemory, kdfThreads
		f.derive()
		return f.writeLocked(map[string]map[string]string{})
	})
	if err != nil {
		_ = lock.Close()
		return nil, err
	}
	return f, nil
}

// keyVersion starts a File's Key.
const keyVersion = 1

// keyLen is a Key's length: version, time, memory, threads, salt, check
// value and the AEAD key.
const keyLen = 1 + 4 + 4 + 1 + saltLen + checkLen + chacha20poly1305.KeySize

// Key is what f derived from its passphrase for the file as it is now
// (the key derivation's parameters and salt, the check value and the
// AEAD key). Another process of the same user given it opens the file
// with OpenFileKey without deriving the key again (argon2id: most of a
// second and 64 MiB in a fresh process). Hand it over only the way a
// passphrase may travel, or better: an inherited pipe, never a command
// line, the environment or a log. It opens this file alone (it tells
// nothing of the passphrase, which may open others) and only until the
// passphrase changes. The caller clears it after use.
func (f *File) Key() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lock == nil || f.key == nil {
		return nil, fmt.Errorf("secrets file %s: closed", f.path)
	}
	b := make([]byte, 0, keyLen)
	b = append(b, keyVersion)
	b = binary.BigEndian.AppendUint32(b, f.params.time)
	b = binary.BigEndian.AppendUint32(b, f.params.memory)
	b = append(b, f.params.threads)
	b = append(b, f.params.salt[:]...)
	b = append(b, f.check[:]...)
	return append(b, f.key...), nil
}

// OpenFileKey opens the secrets file at path with a Key another File of
// it gave, without deriving one. The file must exist and the key open it
// (else a *FileError matching ErrWrongPassphrase: its passphrase changed
// since); the caller may then fall back to OpenFile. (A key no File gave,
// its check value right and its AEAD key wrong, reads as a damaged file.) A later change of
// the passphrase by another process is ErrWrongPassphrase on the next
// call, as for a File opened with the old passphrase.
func OpenFileKey(path string, key []byte) (*File, error) {
	if len(key) != keyLen || key[0] != keyVersion {
		return nil, fmt.Errorf("secrets file %s: not a key of this host's secrets files", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f := &File{path: abs}
	b := key[1:]
	f.params.time, f.params.memory, f.params.threads = binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), b[8]
	b = b[9:]
	b = b[copy(f.params.salt[:], b):]
	b = b[copy(f.check[:], b):]
	f.key = bytes.Clone(b)
	lock, err := os.OpenFile(abs+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	f.lock = lock
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	if err := f.locked(ctx, false, func() error { _, err := f.readLocked(); return err }); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// ChangePassphrase re-encrypts every secret under a key derived from
// newPassphrase (with a fresh salt), under the exclusive lock and with the
// file's atomic replace: a crash leaves the old file, readable with the
// old passphrase, or the new one. Other processes that still hold the old
// passphrase get ErrWrongPassphrase on their next call.
func (f *File) ChangePassphrase(ctx context.Context, newPassphrase []byte) error {
	if len(newPassphrase) == 0 {
		return errors.New("secrets file: the new passphrase is empty")
	}
	return f.locked(ctx, true, func() error {
		items, err := f.readLocked()
		if err != nil {
			return err
		}
		old, oldParams, oldKey, oldCheck := f.pass, f.params, bytes.Clone(f.key), f.check
		f.pass = bytes.Clone(newPassphrase)
		if _, err := rand.Read(f.params.salt[:]); err != nil {
			f.pass = old
			clear(oldKey)
			return err
		}
		f.params.time, f.params.memory, f.params.threads = kdfTime, kdfMemory, kdfThreads
		f.derive()
		if err := f.writeLocked(items); err != nil {
			// The file still has the old key: go back to it (a File
			// opened with OpenFileKey has no old passphrase to derive it
			// from).
			clear(f.pass)
			clear(f.key)
			f.pass, f.params, f.key, f.check = old, oldParams, oldKey, oldCheck
			return err
		}
		clear(old)
		clear(oldKey)
		return nil
	})
}

// Name returns "file".
func (f *File) Name() string { return "file" }

// Path returns the file's absolute path.
func (f *File) Path() string { return f.path }

// Close releases the lock file. Later calls fail.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lock == nil {
		return nil
	}
	err := f.lock.Close()
	f.lock = nil
	clear(f.key)
	clear(f.pass)
	return err
}

// Get returns the value or ErrNotFound.
func (f *File) Get(ctx context.Context, service, user string) (string, error) {
	var v string
	err := f.locked(ctx, false, func() error {
		items, err := f.readLocked()
		if err != nil {
			return err
		}
		var ok bool
		if v, ok = items[service][user]; !ok {
			return ErrNotFound
		}
		return nil
	})
	return v, err
}

// Set creates or replaces the value.
func (f *File) Set(ctx context.Context, service, user, value string) error {
	return f.update(ctx, func(items map[string]map[string]string) error {
		if items[service] == nil {
			items[service] = map[string]string{}
		}
		items[service][user] = value
		return nil
	})
}

// Delete removes the value or returns ErrNotFound.
func (f *File) Delete(ctx context.Context, service, user string) error {
	return f.update(ctx, func(items map[string]map[string]string) error {
		if _, ok := items[service][user]; !ok {
			return ErrNotFound
		}
		delete(items[service], user)
		if len(items[service]) == 0 {
			delete(items, service)
		}
		return nil
	})
}

// update runs change on the current contents under the exclusive lock and
// writes the result; an error from change writes nothing.
func (f *File) update(ctx context.Context, change func(map[string]map[string]string) error) error {
	return f.locked(ctx, true, func() error {
		items, err := f.readLocked()
		if errors.Is(err, fs.ErrNotExist) {
			items, err = map[string]map[string]string{}, nil // removed since: start again with our key
		}
		if err != nil {
			return err
		}
		if err := change(items); err != nil {
			return err
		}
		return f.writeLocked(items)
	})
}

// locked runs fn holding f.mu and the file lock (exclusive or shared),
// waiting for the lock until ctx ends.
func (f *File) locked(ctx context.Context, exclusive bool, fn func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lock == nil {
		return fmt.Errorf("secrets file %s: closed", f.path)
	}
	if err := waitLock(ctx, f.lock, exclusive); err != nil {
		var held *errLockHeld
		if errors.As(err, &held) {
			return fmt.Errorf("secrets file %s: another process holds its lock: %w", f.path, held.err)
		}
		return fmt.Errorf("secrets file: locking %s.lock: %w", f.path, err)
	}
	defer func() { _ = unlock(f.lock) }()
	return fn()
}

// readLocked reads and opens the file; fs.ErrNotExist when there is none.
// A file written with other KDF parameters or salt (another process
// created it) costs one more key derivation.
func (f *File) readLocked() (map[string]map[string]string, error) {
	data, err := os.ReadFile(f.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	p, check, err := parseHeader(data)
	if err != nil {
		return nil, f.corrupt(err.Error())
	}
	if p != f.params || f.key == nil {
		if f.pass == nil {
			// Opened with a key (OpenFileKey) for other parameters: the
			// passphrase changed since the key was derived.
			return nil, &FileError{Path: f.path, Kind: ErrWrongPassphrase}
		}
		f.params = p
		f.derive()
	}
	if subtle.ConstantTimeCompare(check[:], f.check[:]) != 1 {
		return nil, &FileError{Path: f.path, Kind: ErrWrongPassphrase}
	}
	aead, err := chacha20poly1305.NewX(f.key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, data[headerLen:sealedStart], data[sealedStart:], data[:headerLen])
	if err != nil {
		return nil, f.corrupt("its contents fail authentication")
	}
	defer clear(plain)
	var items map[string]map[string]string
	if err := json.Unmarshal(plain, &items); err != nil || items == nil {
		return nil, f.corrupt("its decrypted contents are not a secrets map")
	}
	return items, nil
}

// testHookBeforeRename, when set (by tests), runs after the temp file is
// written and synced and before it replaces the file.
var testHookBeforeRename func(tmp string)

// writeLocked seals items and replaces the file atomically.
func (f *File) writeLocked(items map[string]map[string]string) (err error) {
	plain, err := json.Marshal(items)
	if err != nil {
		return err
	}
	defer clear(plain)
	aead, err := chacha20poly1305.NewX(f.key)
	if err != nil {
		return err
	}
	out := make([]byte, sealedStart, sealedStart+len(plain)+aead.Overhead())
	f.putHeader(out[:headerLen])
	if _, err := rand.Read(out[headerLen:sealedStart]); err != nil {
		return err
	}
	out = aead.Seal(out, out[headerLen:sealedStart], plain, out[:headerLen])

	dir, base := filepath.Split(f.path)
	removeStrayTemps(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("secrets file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("secrets file: writing %s: %w; the previous file is unchanged", f.path, err)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err := tmp.Write(out); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename(tmp.Name())
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	return syncDir(dir)
}

// removeStrayTemps removes temp files a crashed writer left; called under
// the exclusive lock, so no live writer owns one.
func removeStrayTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*"))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be synced there; rename is durable enough
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (f *File) derive() {
	out := argon2.IDKey(f.pass, f.params.salt[:], f.params.time, f.params.memory, f.params.threads, 64)
	clear(f.key)
	f.key = bytes.Clone(out[:32])
	h := sha256.New()
	h.Write([]byte("host-secrets-check"))
	h.Write(out[32:])
	copy(f.check[:], h.Sum(nil))
	clear(out)
}

func (f *File) putHeader(b []byte) {
	copy(b, fileMagic)
	b[8], b[9] = fileVersion, kdfArgon2id
	binary.BigEndian.PutUint32(b[10:], f.params.time)
	binary.BigEndian.PutUint32(b[14:], f.params.memory)
	b[18] = f.params.threads
	copy(b[19:], f.params.salt[:])
	copy(b[19+saltLen:], f.check[:])
}

func parseHeader(data []byte) (kdfParams, [checkLen]byte, error) {
	var p kdfParams
	var check [checkLen]byte
	switch {
	case len(data) < len(fileMagic) || string(data[:len(fileMagic)]) != fileMagic:
		return p, check, errors.New("not a host secrets file")
	case len(data) < sealedStart+chacha20poly1305.Overhead:
		return p, check, fmt.Errorf("truncated at %d bytes", len(data))
	case data[8] != fileVersion:
		return p, check, fmt.Errorf("format version %d, this host reads version %d; use a newer host", data[8], fileVersion)
	case data[9] != kdfArgon2id:
		return p, check, fmt.Errorf("unknown key derivation %d", data[9])
	}
	p.time = binary.BigEndian.Uint32(data[10:])
	p.memory = binary.BigEndian.Uint32(data[14:])
	p.threads = data[18]
	copy(p.salt[:], data[19:])
	copy(check[:], data[19+saltLen:])
	// Bounds keep a crafted header from demanding hours or gigabytes.
	if p.time < 1 || p.time > 16 || p.memory < 8<<10 || p.memory > 1<<20 || p.threads < 1 || p.threads > 16 {
		return p, check, fmt.Errorf("key derivation parameters out of range (t=%d, m=%d KiB, p=%d)", p.time, p.memory, p.threads)
	}
	return p, check, nil
}

func (f *File) corrupt(detail string) error {
	return &FileError{Path: f.path, Kind: ErrCorruptFile, Detail: strings.TrimSpace(detail)}
}

var (
	_ Backend = (*File)(nil)
	_ error   = (*FileError)(nil)
)
