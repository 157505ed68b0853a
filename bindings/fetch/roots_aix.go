package fetch

// See roots_linux.go; these are crypto/x509's lists for AIX (root_aix.go).
const lazySystemRoots = true

var (
	certFiles       = []string{"/var/ssl/certs/ca-bundle.crt"}
	certDirectories = []string{"/var/ssl/certs"}
)
