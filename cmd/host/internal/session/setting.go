package session

import (
	"context"
	"fmt"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
)

// ChangeSetting sets field key of p to the text value returns (called once
// the field is known to be of the right kind; unset: forgets its value) and
// saves the config, the other fields as they were. secret says which kind
// of field the command changes: a secret field through `host secrets set`,
// any other through `host config set`; the other kind is a usage error
// naming the right command. Values from the environment or --set are not
// read: only what is saved changes.
func ChangeSetting(ctx context.Context, p *plugin.Plugin, key string, value func() (string, error), unset, secret bool) (*plugin.Field, error) {
	s, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		return nil, SetupError(err)
	}
	f, ok := s.Field(key)
	if !ok {
		var keys []string
		for _, f := range s.Fields {
			keys = append(keys, f.Key)
		}
		return nil, cmdutil.Usagef("plugin %s has no config field %q (fields: %s)", p.ID, key, strings.Join(keys, ", "))
	}
	switch {
	case f.Secret && !secret && !unset:
		return nil, cmdutil.Usagef("%s is a secret: set it with 'host secrets set %s %s' (a hidden prompt, or the value on stdin), never on a command line", key, p.ID, key)
	case !f.Secret && secret:
		return nil, cmdutil.Usagef("%s is not a secret: use 'host config set %s %s VALUE'", key, p.ID, key)
	}
	if unset {
		if f.Required && !f.HasDefault {
			return nil, cmdutil.Usagef("%s is required: it cannot be unset (set another value with 'host config set')", key)
		}
		if err := s.Unset(ctx, key); err != nil {
			return nil, err
		}
	} else {
		text, err := value()
		if err != nil {
			return nil, err
		}
		if err := s.Supply(key, text); err != nil {
			return nil, cmdutil.Usagef("%s: %v", key, err)
		}
	}
	if err := s.Save(ctx); err != nil {
		return nil, fmt.Errorf("saving the config of plugin %s: %w", p.ID, err)
	}
	return f, nil
}
