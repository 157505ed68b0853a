package schema

// Bounds returns the schema's last lower bound (Min, or Gt with n) and last
// upper bound (Max, or Lt with n) among its own checks, as zod 3 lists them
// in `_def.checks` with kind "min" and "max" (for a string they bound its
// length). Length checks are not bounds here (zod 3's kind "length").
func (s *Schema) Bounds() (lo, hi float64, hasLo, hasHi bool) {
	for _, c := range s.checks {
		switch c.op {
		case opMin, opGt:
			lo, hasLo = c.n, true
		case opMax, opLt:
			hi, hasHi = c.n, true
		}
	}
	return lo, hi, hasLo, hasHi
}

// OwnEffects reports whether the schema itself (not a part of it) runs a
// refinement, a transform or a catch function, or pipes its output on: what
// zod 3 wraps in a ZodEffects or ZodPipeline.
func (s *Schema) OwnEffects() bool {
	return len(s.effects) > 0 || s.catchFn != nil || s.pipe != nil
}
