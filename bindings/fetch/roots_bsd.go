//go:build dragonfly || freebsd || netbsd || openbsd

package fetch

// See roots_linux.go; these are crypto/x509's lists for the BSDs
// (root_bsd.go).
const lazySystemRoots = true

var (
	certFiles = []string{
		"/usr/local/etc/ssl/cert.pem",            // FreeBSD
		"/etc/ssl/cert.pem",                      // OpenBSD
		"/usr/local/share/certs/ca-root-nss.crt", // DragonFly
		"/etc/openssl/certs/ca-certificates.crt", // NetBSD
	}
	certDirectories = []string{
		"/etc/ssl/certs",         // FreeBSD 12.2+
		"/usr/local/share/certs", // FreeBSD
		"/etc/openssl/certs",     // NetBSD
	}
)
