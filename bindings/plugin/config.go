package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"host/bindings/secrets"
	"host/jsrt"
	"host/schema"
)

// Source says where a config value came from.
type Source string

// The sources, strongest first.
const (
	FromFlag    Source = "flag" // Inputs.Set (the CLI's --set)
	FromEnv     Source = "environment"
	FromPrompt  Source = "prompt"
	FromSaved   Source = "saved"
	FromDefault Source = "default"
	Unset       Source = ""
)

// Inputs are values supplied without a prompt.
type Inputs struct {
	// Set holds --set KEY=VALUE pairs.
	Set map[string]string
	// LookupEnv reads the environment (os.LookupEnv in the CLI); nil reads
	// nothing.
	LookupEnv func(string) (string, bool)
	// Shared: these inputs are given to several plugins at once (host
	// serve DIR, host mcp DIR). Only values that name the plugin apply
	// (ScopedEnvName, ScopedSetKey); a value that names none is an
	// *InputError for each plugin with the field, never given to it: a
	// plugin must not receive a secret meant for another because it
	// declares a field of the same name.
	Shared bool
	// Owns, when set, is asked before a variable ScopedEnvName(id, key)
	// found in the environment is given to plugin id: whether it names
	// that plugin and not another served one whose id it also fits
	// (HOST_CONFIG_GITHUB_ISSUES_TOKEN fits github's issues_token and
	// github-issues' token; see EnvOwner). It may wait until the served
	// plugins' ids are known. A variable it refuses is not given.
	Owns func(id, envName string) bool
}

// EnvOwner is the id among ids that the config variable name
// (HOST_CONFIG_<ID>_<KEY>) names: the one whose <ID> part (ScopedEnvName)
// is the longest prefix of the name followed by '_' and a key. ok is
// false when none is, or when two ids have that <ID> part (victim.svc and
// victim_svc): the variable is then given to neither.
func EnvOwner(name string, ids []string) (id string, ok bool) {
	rest, found := strings.CutPrefix(name, "HOST_CONFIG_")
	if !found {
		return "", false
	}
	best, bestPart, n := "", "", 0
	seen := map[string]bool{}
	for _, cand := range ids {
		if seen[cand] {
			continue
		}
		seen[cand] = true
		part := envPart(cand)
		if len(rest) <= len(part)+1 || !strings.HasPrefix(rest, part+"_") {
			continue
		}
		switch {
		case best == "" || len(part) > len(bestPart):
			best, bestPart, n = cand, part, 1
		case part == bestPart:
			n++
		}
	}
	return best, best != "" && n == 1
}

// envPart is id as it appears in its variables: upper-cased, '.' and '-'
// made '_'.
func envPart(id string) string {
	return strings.NewReplacer(".", "_", "-", "_").Replace(strings.ToUpper(id))
}

// EnvName is the environment variable that supplies config field key.
func EnvName(key string) string { return "HOST_CONFIG_" + strings.ToUpper(key) }

// ScopedEnvName is the environment variable that supplies config field key
// of plugin id only: HOST_CONFIG_<ID>_<KEY>, the id upper-cased with '.'
// and '-' made '_'.
func ScopedEnvName(id, key string) string {
	return "HOST_CONFIG_" + envPart(id) + "_" + strings.ToUpper(key)
}

// ScopedSetKey is the Inputs.Set key (--set ID:KEY=VALUE) that supplies
// config field key of plugin id only.
func ScopedSetKey(id, key string) string { return id + ":" + key }

// Field is one config field with what the host knows about it.
type Field struct {
	schema.Field
	// HelpText is the auth declaration's help for an auth field, else the
	// schema's .helpText(), else its .describe(); HelpURL the auth
	// field's helpUrl.
	HelpURL, HelpText string
	Auth              bool // listed in auth.fields
	Value             any  // valid when Source != Unset
	Source            Source
}

// Title is how the field is shown: the auth field's label, else the
// schema's label, else its key.
func (f *Field) Title() string { return f.Label }

// Setup is the plugin's configuration state: every field in schema order,
// its value and where it came from. It is data for the CLI's wizard.
type Setup struct {
	Fields []*Field
	p      *Plugin
}

// InputError is bad input from the caller (Inputs.Set, the environment,
// a tool's JSON): usage (exit 2). Problems say what is wrong in plain
// words; Fields, for config input, say which field and from where, so the
// CLI can name its own flag.
type InputError struct {
	Problems []string
	Fields   []InputProblem
}

// InputProblem is one unusable config input.
type InputProblem struct {
	Key  string
	From Source // FromFlag or FromEnv
	// Name is the environment variable or the Inputs.Set key the value
	// came from (empty: EnvName(Key) or Key).
	Name string
	// Err is what is wrong with the value; nil with Unknown.
	Err error
	// Unknown: Inputs.Set names a field the plugin does not have; Known
	// lists the fields it has.
	Unknown bool
	Known   []string
}

func (e *InputError) Error() string { return strings.Join(e.Problems, "\n") }

// Setup gathers the config from --set, the environment, the saved config
// and the keyring (secret fields), and schema defaults, in that order. It
// prompts for nothing. A keyring that cannot be reached is an error; bad
// input is an *InputError.
func (p *Plugin) Setup(ctx context.Context, in Inputs) (*Setup, error) {
	s := &Setup{p: p}
	authHelp := map[string]AuthField{}
	if p.Auth != nil {
		for _, f := range p.Auth.Fields {
			authHelp[f.Key] = f
		}
	}
	saved, err := p.readSaved()
	if err != nil {
		return nil, err
	}
	var problems []string
	var fieldProblems []InputProblem
	var toRead []*Field
	known := map[string]bool{}
	for _, sf := range p.configFields() {
		f := &Field{Field: sf, HelpText: sf.HelpText}
		known[sf.Key] = true
		if a, ok := authHelp[sf.Key]; ok {
			f.Auth = true
			f.HelpURL = a.HelpURL
			if a.HelpText != "" {
				f.HelpText = a.HelpText
			}
			if a.Label != "" {
				f.Label = a.Label
			}
		}
		if f.Description != "" && f.HelpText == "" {
			f.HelpText = f.Description
		}
		supply := func(text string, src Source, how, name string) bool {
			if sf.Secret {
				p.host.Masker.Add(text)
			}
			v, err := sf.Schema.CoerceString(text)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s: %v", how, sf.Key, err))
				fieldProblems = append(fieldProblems, InputProblem{Key: sf.Key, From: src, Name: name, Err: err})
				return false
			}
			if sf.Secret {
				p.maskLeaves(v)
			}
			f.Value, f.Source = v, src
			return true
		}
		scopedSet, scopedEnv := ScopedSetKey(p.ID, sf.Key), ScopedEnvName(p.ID, sf.Key)
		switch {
		case hasKey(in.Set, scopedSet):
			supply(in.Set[scopedSet], FromFlag, "the value given for "+scopedSet, scopedSet)
		case lookup(in.LookupEnv, scopedEnv) && (in.Owns == nil || in.Owns(p.ID, scopedEnv)):
			v, _ := in.LookupEnv(scopedEnv)
			supply(v, FromEnv, scopedEnv, scopedEnv)
		case in.Shared && (hasKey(in.Set, sf.Key) || lookup(in.LookupEnv, EnvName(sf.Key))):
			// Several plugins are served: a value naming none is refused,
			// not given to every plugin that declares the key.
			src, name, how := FromEnv, EnvName(sf.Key), scopedEnv+"=..."
			if hasKey(in.Set, sf.Key) {
				src, name, how = FromFlag, sf.Key, "--set "+scopedSet+"=..."
			}
			err := fmt.Errorf("names no plugin, and several plugins are served, so it is given to none; name the plugin: %s", how)
			shown := name
			if src == FromFlag {
				shown = "--set " + name
			}
			problems = append(problems, fmt.Sprintf("%s %v", shown, err))
			fieldProblems = append(fieldProblems, InputProblem{Key: sf.Key, From: src, Name: name, Err: err})
		case hasKey(in.Set, sf.Key):
			supply(in.Set[sf.Key], FromFlag, "the value given for "+sf.Key, sf.Key)
		case lookup(in.LookupEnv, EnvName(sf.Key)):
			v, _ := in.LookupEnv(EnvName(sf.Key))
			supply(v, FromEnv, EnvName(sf.Key), EnvName(sf.Key))
		case sf.Secret:
			toRead = append(toRead, f) // read below, all at once
		default:
			if v, ok := saved[sf.Key]; ok {
				f.Value, f.Source = sf.Schema.FromJSON(v), FromSaved // a date is saved as ISO text
			}
		}
		s.Fields = append(s.Fields, f)
	}
	if len(toRead) > 0 {
		sec, err := p.secrets()
		if err != nil {
			return nil, err
		}
		// Each keyring read is a few D-Bus round trips; do them side by side.
		errs := make([]error, len(toRead))
		var wg sync.WaitGroup
		for i, f := range toRead {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := sec.GetConfig(ctx, f.Key)
				switch {
				case err == nil && f.Kind == schema.KindString:
					f.Value, f.Source = v, FromSaved
				case err == nil:
					// Kept as JSON (a number, an object holding a secret...).
					cv, cerr := f.Schema.CoerceString(v)
					if cerr != nil {
						errs[i] = jsrt.WithHintKind(&SavedValueError{Plugin: p.ID, Key: f.Key, Label: f.Label, Err: cerr},
							HintSupplyAgain, "set the plugin up again, or supply the value again")
						return
					}
					p.maskLeaves(cv)
					f.Value, f.Source = cv, FromSaved
				case !errors.Is(err, secrets.ErrNotFound):
					errs[i] = fmt.Errorf("looking up %s of plugin %s in the %s: %w", f.Label, p.ID, p.host.Secrets.Name(), err)
				}
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	for _, f := range s.Fields {
		if f.Source == Unset && f.HasDefault {
			f.Value, f.Source = f.Default, FromDefault
		}
	}
	var unknown []string
	for k := range in.Set {
		key := k
		if id, rest, scoped := strings.Cut(k, ":"); scoped {
			if id != p.ID {
				continue // another plugin's value
			}
			key = rest
		} else if in.Shared {
			continue // refused above where the plugin has the field
		}
		if !known[key] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		problems = append(problems, fmt.Sprintf("plugin %s has no config field %q (fields: %s)", p.ID, k, strings.Join(s.keys(), ", ")))
		fieldProblems = append(fieldProblems, InputProblem{Key: k, From: FromFlag, Unknown: true, Known: s.keys()})
	}
	if len(problems) > 0 {
		return nil, &InputError{Problems: problems, Fields: fieldProblems}
	}
	return s, nil
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func lookup(fn func(string) (string, bool), name string) bool {
	if fn == nil {
		return false
	}
	_, ok := fn(name)
	return ok
}

func (s *Setup) keys() []string {
	out := make([]string, 0, len(s.Fields))
	for _, f := range s.Fields {
		out = append(out, f.Key)
	}
	return out
}

// Missing lists the required fields that have no value, in schema order.
func (s *Setup) Missing() []*Field {
	var out []*Field
	for _, f := range s.Fields {
		if f.Source == Unset && f.Required {
			out = append(out, f)
		}
	}
	return out
}

// Field returns the field with key.
func (s *Setup) Field(key string) (*Field, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return nil, false
}

// Supply sets a field from text the user typed, converted to the field's
// type and checked against its schema. The error says what is wrong.
func (s *Setup) Supply(key, text string) error {
	f, ok := s.Field(key)
	if !ok {
		return fmt.Errorf("no config field %q", key)
	}
	if f.Secret {
		s.p.host.Masker.Add(text)
	}
	v, err := f.Schema.CoerceString(text)
	if err != nil {
		return err
	}
	if f.Secret {
		s.p.maskLeaves(v)
	}
	if _, issues := f.Schema.Validate(v); len(issues) > 0 {
		return errors.New(issues[0].Message)
	}
	f.Value, f.Source = v, FromPrompt
	return nil
}

// Unset forgets field key's value: a secret field's saved value is deleted
// from the secret backend at once, any other field's is left out of
// config.json by the next Save. A default applies again.
func (s *Setup) Unset(ctx context.Context, key string) error {
	f, ok := s.Field(key)
	if !ok {
		return fmt.Errorf("no config field %q", key)
	}
	if f.Secret {
		sec, err := s.p.secrets()
		if err != nil {
			return err
		}
		if err := sec.DeleteConfig(ctx, key); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("removing the saved %s of plugin %s: %w", f.Label, s.p.ID, err)
		}
	}
	f.Value, f.Source = nil, Unset
	if f.HasDefault {
		f.Value, f.Source = f.Default, FromDefault
	}
	return nil
}

// Values is the config as a map: every field with a value.
func (s *Setup) Values() map[string]any {
	out := make(map[string]any, len(s.Fields))
	for _, f := range s.Fields {
		if f.Source != Unset {
			out[f.Key] = f.Value
		}
	}
	return out
}

// Validate checks the values against the configSchema; the error lists the
// issues with their paths (a *schema.ValidationError).
func (s *Setup) Validate() (map[string]any, error) {
	out, issues := s.p.Config.Validate(s.Values())
	if len(issues) > 0 {
		return nil, &schema.ValidationError{Issues: issues}
	}
	m, _ := out.(map[string]any)
	return m, nil
}

// Save writes what the user supplied: secret fields to the secret backend
// (keyring user config.<key>), the other supplied fields to
// <data dir>/plugins/<id>/config.json (mode 0600, written atomically).
// Defaults are not written, so a new default in the plugin takes effect.
// Secrets go first; when they fail, the config file is left as it was.
func (s *Setup) Save(ctx context.Context) error {
	p := s.p
	var sec *secrets.Scoped
	var notSaved []string
	var unavailable error
	plain := map[string]any{}
	for _, f := range s.Fields {
		if f.Source == Unset || f.Source == FromDefault {
			continue
		}
		if f.Secret {
			if f.Source == FromSaved {
				continue
			}
			if sec == nil {
				var err error
				if sec, err = p.secrets(); err != nil {
					return err
				}
			}
			str, ok := f.Value.(string)
			if !ok {
				b, _ := json.Marshal(f.Value)
				str = string(b)
			}
			if err := sec.SetConfig(ctx, f.Key, str); err != nil {
				if (f.Source == FromEnv || f.Source == FromFlag) && errors.Is(err, secrets.ErrUnavailable) {
					// Supplied for this run: used, not saved (see NotSavedError).
					notSaved = append(notSaved, f.Key)
					unavailable = err
					continue
				}
				return fmt.Errorf("saving %s of plugin %s: %w", f.Label, p.ID, err)
			}
			f.Source = FromSaved
			continue
		}
		plain[f.Key] = f.Value
	}
	old, err := p.readSaved()
	if err != nil {
		return err
	}
	if !equalJSON(old, plain) || (len(plain) == 0 && !fileExists(p.ConfigPath())) {
		if err := writeJSONAtomic(p.ConfigPath(), plain); err != nil {
			return fmt.Errorf("saving the config of plugin %s: %w", p.ID, err)
		}
	}
	if len(notSaved) > 0 {
		return &NotSavedError{Keys: notSaved, Err: unavailable}
	}
	return nil
}

// NotSavedError is Save leaving out secret fields supplied by the
// environment or --set because the secret backend is unavailable: the run
// uses them, nothing else failed, the next run needs them supplied again.
type NotSavedError struct {
	Keys []string
	Err  error // the backend's *secrets.UnavailableError
}

func (e *NotSavedError) Error() string {
	return fmt.Sprintf("not saved (%s): %v", strings.Join(e.Keys, ", "), e.Err)
}
func (e *NotSavedError) Unwrap() error { return e.Err }

// HintSupplyAgain is the hint kind of a SavedValueError: the CLI says how
// to set the plugin up again or supply the field.
const HintSupplyAgain jsrt.HintKind = "supply-again"

// SavedValueError is a value saved for a config field that no longer fits
// the plugin's schema (it changed since the value was saved). It comes
// wrapped in a hint of kind HintSupplyAgain.
type SavedValueError struct {
	Plugin, Key, Label string
	Err                error // the schema's complaint
}

func (e *SavedValueError) Error() string {
	return fmt.Sprintf("the saved %s of plugin %s no longer fits its schema (%v)", e.Label, e.Plugin, e.Err)
}
func (e *SavedValueError) Unwrap() error { return e.Err }

func equalJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// readSaved reads config.json; a missing file is an empty config.
func (p *Plugin) readSaved() (map[string]any, error) {
	path := p.ConfigPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the saved config of plugin %s: %w", p.ID, err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("the saved config %s is not valid JSON: %v", path, err),
			"fix or delete the file; the plugin will ask again for what is missing")
	}
	return m, nil
}

// writeJSONAtomic writes v to path through a temporary file in the same
// directory, synced and renamed, so a crash leaves either the old or the
// new file, never half of one.
func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'))
}

// WriteFileAtomic writes data to path (mode 0600, its directory made
// 0700) through a synced temporary file in the same directory and a
// rename: a reader sees the old file or the new one, never a part. Its
// errors name the file and the step that failed, not what the file is:
// the caller says that ("saving the config of plugin X: ...").
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, pathless(err))
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return writeErr(path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return writeErr(path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return writeErr(path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return writeErr(path, err)
	}
	if err := f.Close(); err != nil {
		return writeErr(path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return writeErr(path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// writeErr is WriteFileAtomic's error: the file and what the system said
// (without the temporary file's name).
func writeErr(path string, err error) error {
	return fmt.Errorf("writing %s: %w", path, pathless(err))
}

// pathless is what the system said, without the operation and paths
// around it (the caller names the file).
func pathless(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// configFields is configSchema's fields. A field holding a .secret()
// anywhere inside it (a field of a nested object, the items of an array,
// a union's variant) is a secret as a whole: kept in the secret backend
// (as JSON when it is not a string) and masked, never written to
// config.json.
func (p *Plugin) configFields() []schema.Field {
	fs := p.Config.Fields()
	for i := range fs {
		if !fs[i].Secret && secretInside(fs[i].Schema) {
			fs[i].Secret = true
		}
	}
	return fs
}

// secretInside reports whether s or a schema within it is .secret().
func secretInside(s *schema.Schema) bool {
	if s == nil {
		return false
	}
	if s.IsSecret() {
		return true
	}
	for _, f := range s.Fields() {
		if secretInside(f.Schema) {
			return true
		}
	}
	for _, c := range append(append(s.Variants(), s.Items()...), s.Elem(), s.KeySchema()) {
		if secretInside(c) {
			return true
		}
	}
	return false
}

// maskSecretDefaults teaches the masker every default inside a secret
// config field (a `.secret().default('...')` value is a secret like any
// other, as is the default of a field holding a secret inside). On load.
func (p *Plugin) maskSecretDefaults() {
	var walk func(s *schema.Schema, secret bool)
	walk = func(s *schema.Schema, secret bool) {
		if s == nil {
			return
		}
		secret = secret || s.IsSecret()
		if secret {
			if d, ok := s.DefaultValue(); ok {
				p.maskLeaves(d)
			}
		}
		for _, f := range s.Fields() {
			walk(f.Schema, secret)
		}
		for _, c := range append(append(s.Variants(), s.Items()...), s.Elem(), s.KeySchema(), s.CatchallSchema()) {
			walk(c, secret)
		}
	}
	for _, f := range p.configFields() {
		walk(f.Schema, f.Secret)
	}
}

// maskLeaves teaches the masker every string inside a secret value (the
// parts of an object or array kept as one secret).
func (p *Plugin) maskLeaves(v any) {
	if p.host.Masker == nil {
		return
	}
	switch x := v.(type) {
	case string:
		p.host.Masker.Add(x)
	case map[string]any:
		for _, e := range x {
			p.maskLeaves(e)
		}
	case []any:
		for _, e := range x {
			p.maskLeaves(e)
		}
	}
}

// SecretScope is the plugin's scope in the secret backend (its service
// name carries the host's SecretsNamespace).
func (p *Plugin) SecretScope() (*secrets.Scoped, error) { return p.secrets() }

func (p *Plugin) secrets() (*secrets.Scoped, error) {
	if p.host.Secrets == nil {
		return nil, errors.New("no secret backend configured")
	}
	sc, err := secrets.NewScoped(p.host.Secrets, p.ID)
	if err != nil {
		return nil, err
	}
	sc.Namespace = p.host.SecretsNamespace
	if m := p.host.Masker; m != nil {
		sc.OnValue = m.Add
	}
	return sc, nil
}
