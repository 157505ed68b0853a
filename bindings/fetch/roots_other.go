//go:build !(linux || dragonfly || freebsd || netbsd || openbsd || solaris || aix)

package fetch

// lazySystemRoots is false where crypto/x509 does not read the system roots
// from PEM files (macOS and Windows ask the platform verifier; js/wasm and
// wasip1 have none): NewClient keeps crypto/tls's own verification there.
const lazySystemRoots = false

var certFiles, certDirectories []string
