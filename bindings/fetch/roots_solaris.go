package fetch

// See roots_linux.go; these are crypto/x509's lists for Solaris and illumos
// (root_solaris.go).
const lazySystemRoots = true

var (
	certFiles = []string{
		"/etc/certs/ca-certificates.crt",     // Solaris 11.2+
		"/etc/ssl/certs/ca-certificates.crt", // Joyent SmartOS
		"/etc/ssl/cacert.pem",                // OmniOS
	}
	certDirectories = []string{
		"/etc/certs/CA",
	}
)
