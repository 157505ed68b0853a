package testing_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	hosttest "host/bindings/testing"
)

// FiftyTests is a test file of 50 tests using the common matchers, spies
// and hooks, in vitest's API only (so vitest runs it as it is too).
func FiftyTests() string {
	var b strings.Builder
	b.WriteString("import { describe, it, expect, beforeEach, vi } from 'vitest';\n\n")
	b.WriteString("function slug(s: string): string { return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''); }\n\n")
	for s := 0; s < 5; s++ {
		fmt.Fprintf(&b, "describe('suite %d', () => {\n  let items: { id: number; name: string; tags: string[] }[];\n", s)
		b.WriteString("  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });\n")
		for t := 0; t < 10; t++ {
			n := s*10 + t
			switch t % 5 {
			case 0:
				fmt.Fprintf(&b, "  it('equality %d', () => {\n    expect(items[%d]).toEqual({ id: %d, name: 'Item %d', tags: ['t%d'] });\n    expect(items).toHaveLength(20);\n  });\n", n, t, t, t, t%3)
			case 1:
				fmt.Fprintf(&b, "  it('strings %d', () => {\n    expect(slug('Hello World %d!')).toBe('hello-world-%d');\n    expect(slug('A b')).toMatch(/^a-b$/);\n  });\n", n, n, n)
			case 2:
				fmt.Fprintf(&b, "  it('spies %d', () => {\n    const f = vi.fn((x: number) => x * 2);\n    items.forEach((i) => f(i.id));\n    expect(f).toHaveBeenCalledTimes(20);\n    expect(f).toHaveBeenCalledWith(%d);\n  });\n", n, t)
			case 3:
				fmt.Fprintf(&b, "  it('async %d', async () => {\n    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);\n    await expect(Promise.reject(new Error('no %d'))).rejects.toThrow('no %d');\n  });\n", n, n, n)
			case 4:
				fmt.Fprintf(&b, "  it('objects %d', () => {\n    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });\n    expect(items.map((i) => i.name)).toContain('Item %d');\n  });\n", n, t)
			}
		}
		b.WriteString("});\n\n")
	}
	return b.String()
}

// BenchmarkRunFiftyTests is one Run of a file of 50 tests in this process,
// its bundle cached (as `host test` keeps it between runs).
func BenchmarkRunFiftyTests(b *testing.B) {
	dir := b.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "bench"}`), 0o644)
	file := filepath.Join(dir, "fifty.test.ts")
	if err := os.WriteFile(file, []byte(FiftyTests()), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := hosttest.Options{Files: []string{file}, WorkDir: dir, CacheDir: filepath.Join(dir, "cache")}
	for i := 0; i < b.N; i++ {
		sum, err := hosttest.Run(context.Background(), opts)
		if err != nil || sum.Passed != 50 {
			b.Fatalf("%v %+v", err, sum)
		}
	}
}
