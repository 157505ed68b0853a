package serve

// What a worker is given of the serve's environment and config values.
//
// A worker never inherits the serve's environment wholesale: it gets the
// variables a host process needs to reach the keyring (D-Bus), the
// network (proxies, CA certificates), the user's locale and time zone,
// and host's own settings (WorkerEnv). Config values (HOST_CONFIG_*,
// --set) of a serve of several plugins do not travel in the environment
// or the command line at all: once the worker has loaded its plugin and
// said its id (State.Loaded), the supervisor writes that plugin's values,
// and only those, to a pipe the worker reads (ConfigFDFlag), after every
// served plugin has said its id, so that a variable is given to the
// plugin it names even when one id is a prefix of another
// (HOST_CONFIG_GITHUB_ISSUES_TOKEN is github-issues' token, not the
// issues_token field of a plugin with the id github).

import (
	"encoding/json"
	"io"
	"runtime"
	"strings"

	"host/bindings/plugin"
	"host/bindings/secrets"
)

// ConfigFDFlag is the worker's flag naming the file descriptor it reads
// its ConfigValues from, once it has published State.Loaded.
const ConfigFDFlag = "config-fd"

// ConfigValues are the config values one worker's plugin is given.
type ConfigValues struct {
	// Env are HOST_CONFIG_* variables by name. A variable that names no
	// served plugin is given with an empty value, so that the worker can
	// refuse it by name (plugin.Inputs.Shared) without seeing its value:
	// the worker takes every name here as set.
	Env map[string]string `json:"env,omitempty"`
	// Set are --set values (ID:KEY naming this plugin; an unscoped KEY
	// with an empty value, to be refused likewise).
	Set map[string]string `json:"set,omitempty"`
}

// ReadConfig reads the ConfigValues a supervisor wrote to r.
func ReadConfig(r io.Reader) (ConfigValues, error) {
	var cv ConfigValues
	err := json.NewDecoder(r).Decode(&cv)
	if err == io.EOF {
		err = nil // the supervisor has nothing for this plugin
	}
	return cv, err
}

// configPrefix is the start of every config variable.
const configPrefix = "HOST_CONFIG_"

// workerEnvNames are the variables a worker is given as they are (upper
// case; on Windows names are compared in upper case).
var workerEnvNames = map[string]bool{
	// Finding programs and the user's directories.
	"PATH": true, "HOME": true, "USER": true, "LOGNAME": true, "TMPDIR": true,
	"XDG_RUNTIME_DIR": true, "XDG_CONFIG_HOME": true, "XDG_CACHE_HOME": true, "XDG_DATA_HOME": true,
	// The keyring and desktop notifications (Secret Service over D-Bus).
	"DBUS_SESSION_BUS_ADDRESS": true,
	// Locale and time zone.
	"LANG": true, "LANGUAGE": true, "TZ": true,
	// The network: proxies and trusted CAs.
	"HTTPS_PROXY": true, "HTTP_PROXY": true, "NO_PROXY": true,
	"SSL_CERT_FILE": true, "SSL_CERT_DIR": true,
	// host's own settings.
	"HOST_LOG": true, "HOST_TRACE": true, "HOST_CPUPROFILE": true, "HOST_TRACE_T0": true, "HOST_STARTUP_OFF": true,
	"HOST_SECRETS": true, secrets.PassphraseEnv: true, "NO_COLOR": true,
	// The Go runtime.
	"GODEBUG": true, "GOTRACEBACK": true, "GOMAXPROCS": true, "GOGC": true, "GOMEMLIMIT": true, "GOCOVERDIR": true,
	// Windows: what a process needs to start and find its profile.
	"SYSTEMROOT": true, "WINDIR": true, "USERPROFILE": true, "APPDATA": true, "LOCALAPPDATA": true,
	"TEMP": true, "TMP": true, "PATHEXT": true, "COMSPEC": true, "PROGRAMDATA": true,
}

// WorkerEnv is the environment a worker is started with, from the
// serve's environ: the variables of workerEnvNames and LC_*, and, when
// the serve runs one plugin alone (not shared), its HOST_CONFIG_*
// variables. Nothing else: not the serve's other variables (tokens of
// other tools, another plugin's HOST_CONFIG_<ID>_*).
func WorkerEnv(environ []string, shared bool) []string {
	var out []string
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		upper := strings.ToUpper(name)
		if runtime.GOOS != "windows" && !strings.HasSuffix(upper, "_PROXY") {
			upper = name // names are case-sensitive but for proxies (https_proxy)
		}
		switch {
		case workerEnvNames[upper], strings.HasPrefix(upper, "LC_"):
			out = append(out, kv)
		case strings.HasPrefix(upper, configPrefix) && !shared:
			out = append(out, kv)
		}
	}
	return out
}

// configFor are the config values of plugin id among the served ids (the
// ids every worker said, or a file's default id where none has yet),
// from the serve's environ and --set values.
//
// A HOST_CONFIG_<X> variable belongs to the served id whose <ID> part is
// the longest prefix of X followed by '_' and a key; two ids with one
// <ID> part (victim.svc and victim_svc) both lose it. A variable that
// belongs to no served id is given by name with an empty value (the
// worker refuses an unscoped value by name). A --set ID:KEY=VALUE goes to
// plugin ID; an unscoped one by name, empty.
func configFor(id string, served []string, environ []string, set map[string]string) ConfigValues {
	cv := ConfigValues{Env: map[string]string{}, Set: map[string]string{}}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, configPrefix) || value == "" {
			continue // an empty variable is unset (cmdutil.LookupEnvNonEmpty)
		}
		owner, owned := plugin.EnvOwner(name, served)
		switch {
		case owner == "":
			cv.Env[name] = ""
		case owned && owner == id:
			cv.Env[name] = value
		}
	}
	for k, v := range set {
		sid, _, scoped := strings.Cut(k, ":")
		switch {
		case !scoped:
			cv.Set[k] = ""
		case sid == id:
			cv.Set[k] = v
		}
	}
	return cv
}
