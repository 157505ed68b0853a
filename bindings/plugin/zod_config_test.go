package plugin

import (
	"context"
	"errors"
	"strings"
	"testing"

	"host/schema"
)

// A configSchema's refinements and transforms run at activation, on the
// plugin's loop: ctx.config holds the transformed values, and a refusal is
// a validation error naming the field, before onActivate runs.
func TestConfigRefineAndTransform(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "fx/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    baseUrl: z.string().url().transform((u) => u.replace(/\/+$/, '')),
    port: z.coerce.number().int().refine((n) => n !== 22, 'port 22 is for ssh'),
  }),
  onActivate: async (ctx) => {
    if (ctx.config.baseUrl !== 'https://api.example.com') throw new Error('baseUrl is ' + ctx.config.baseUrl);
    if (!Object.isFrozen(ctx.config)) throw new Error('config not frozen');
  },
});`)
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, err := p.Setup(ctx, Inputs{Set: map[string]string{"baseUrl": "https://api.example.com//", "port": "22"}})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Activate(ctx, s)
	var ve *schema.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "port: port 22 is for ssh") {
		t.Fatalf("err = %v, want the refinement's refusal", err)
	}
	if err := s.Supply("port", "8080"); err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
}
