// Package plugins is the commands for plugins as packages: `host
// install`, `link`, `list`, `update`, `remove`, `enable`, `disable`, and
// the hidden `host describe` that loads a plugin in its own process for
// the consent. The work is package pkgstore's; this package words it and
// asks the user.
package plugins

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"host/bindings/secrets"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/session"
)

// describeTimeout bounds loading a plugin for its consent summary.
const describeTimeout = 2 * time.Minute

// openStore is the data dir's package store, with the registry the
// user's npm configuration names and the describe worker.
func openStore(f *cmdutil.Factory, dataDirFlag string) (*pkgstore.Store, error) {
	dataDir, err := f.DataDir(dataDirFlag)
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	getenv := func(k string) string { v, _ := f.IO.LookupEnv(k); return v }
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	cfg, err := pkgstore.LoadNPMConfig(getenv, home)
	if err != nil {
		return nil, fmt.Errorf("reading your npm configuration: %w", err)
	}
	return &pkgstore.Store{DataDir: dataDir, Registry: pkgstore.NewRegistry(cfg, getenv, "host/"+f.Version), Describe: describer(f)}, nil
}

// describer loads a plugin in a separate `host describe` process (plugin
// code never runs in the command's own), with a fresh data dir, a memory
// cap, a time limit and none of the caller's HOST_CONFIG_* values.
func describer(f *cmdutil.Factory) func(ctx context.Context, dir string) (*pkgstore.Description, error) {
	return func(ctx context.Context, dir string) (*pkgstore.Description, error) {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find the host binary to load the plugin: %w", err)
		}
		tmp, err := os.MkdirTemp("", "host-describe-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		ctx, cancel := context.WithTimeout(ctx, describeTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, self, "describe", "--data-dir", tmp, "--memory", "512MiB", dir)
		cmd.Env = workerEnv(os.Environ())
		cmd.Dir = tmp
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(errb.String())
			msg = strings.TrimPrefix(msg, "host: ")
			if msg == "" {
				msg = err.Error()
			}
			if ctx.Err() != nil {
				msg = fmt.Sprintf("loading it took longer than %s", describeTimeout)
			}
			return nil, errors.New(msg)
		}
		var d pkgstore.Description
		if err := json.Unmarshal(out.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("the describe worker's answer: %w", err)
		}
		return &d, nil
	}
}

// workerEnv is env without what belongs to the user's other plugins or
// opens their secrets.
func workerEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "HOST_CONFIG_") || strings.HasPrefix(kv, secrets.PassphraseEnv+"=") || strings.HasPrefix(kv, "HOST_SECRETS=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// printSummary shows what the user consents to.
func printSummary(w io.Writer, s *pkgstore.Summary) {
	name := s.Package
	if name == "" {
		name = s.ID
	}
	if s.Update != nil {
		fmt.Fprintf(w, "%s: %s -> %s\n", s.ID, s.Update.From, s.Version)
		if s.Update.Changelog != "" {
			fmt.Fprintf(w, "  changelog: %s\n", s.Update.Changelog)
		}
		if len(s.Update.Added) > 0 {
			fmt.Fprintln(w, "New permissions:")
			for _, p := range s.Update.Added {
				fmt.Fprintf(w, "  + %s\n", p)
			}
		}
		if len(s.Update.Removed) > 0 {
			fmt.Fprintln(w, "Permissions no longer asked for:")
			for _, p := range s.Update.Removed {
				fmt.Fprintf(w, "  - %s\n", p)
			}
		}
		if len(s.Update.Added) == 0 {
			return
		}
		fmt.Fprintln(w, "With the update it may:")
	} else {
		ver := ""
		if s.Version != "" {
			ver = " " + s.Version
		}
		fmt.Fprintf(w, "%s%s (plugin id %s)\n", name, ver, s.ID)
		if s.DisplayName != "" || s.Description != "" {
			fmt.Fprintf(w, "  %s\n", strings.TrimPrefix(strings.Join(nonEmpty(s.DisplayName, s.Description), ": "), ": "))
		}
		var facts []string
		if s.Publisher != "" {
			facts = append(facts, "published by "+s.Publisher)
		}
		if s.Source == "link" {
			facts = append(facts, "linked: runs from its directory")
		}
		if s.Dependencies > 0 {
			facts = append(facts, fmt.Sprintf("%d dependencies", s.Dependencies))
		}
		if len(facts) > 0 {
			fmt.Fprintf(w, "  %s\n", strings.Join(facts, "; "))
		}
		fmt.Fprintln(w, "It may:")
	}
	for _, p := range s.Permissions {
		fmt.Fprintf(w, "  - %s\n", p)
	}
	if s.Update != nil {
		return
	}
	if len(s.Tools) == 0 {
		fmt.Fprintln(w, "Tools: none")
		return
	}
	fmt.Fprintln(w, "Tools:")
	for _, t := range s.Tools {
		line := "  - " + t.Name
		if t.Description != "" {
			line += ": " + t.Description
		}
		if len(t.Marks) > 0 {
			line += " (" + strings.Join(t.Marks, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// removeOptions are the secret scope and store of plugin id in the data
// dir of s.
func purgeScope(f *cmdutil.Factory, flags *cmdutil.PluginFlags, id string) (pkgstore.RemoveOptions, func(), error) {
	sess, err := session.Open(f, flags)
	if err != nil {
		return pkgstore.RemoveOptions{}, nil, err
	}
	sc, err := secrets.NewScoped(sess.Host.Secrets, id)
	if err != nil {
		sess.Close()
		return pkgstore.RemoveOptions{}, nil, err
	}
	sc.Namespace = sess.Host.SecretsNamespace
	return pkgstore.RemoveOptions{Secrets: sc, Store: sess.Store}, sess.Close, nil
}
