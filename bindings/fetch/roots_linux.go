package fetch

import "runtime"

// lazySystemRoots: crypto/x509 reads the system roots from PEM files here
// (root_unix.go), so rootStore can read them lazily with the same trust.
const lazySystemRoots = true

// certFiles and certDirectories are crypto/x509's lists for Linux
// (root_linux.go): the first readable file is the bundle; every directory
// is read.
var (
	certFiles = []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine Linux
	}
	certDirectories = []string{
		"/etc/ssl/certs",     // SLES10/SLES11
		"/etc/pki/tls/certs", // Fedora/RHEL
	}
)

func init() {
	if runtime.GOOS == "android" {
		certDirectories = append(certDirectories,
			"/system/etc/security/cacerts",    // Android system roots
			"/data/misc/keychain/certs-added", // user-trusted CAs
		)
	}
}
