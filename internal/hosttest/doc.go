// Package hosttest holds what every test package of host shares, such as
// waiting on a condition instead of sleeping. Only tests import it (its
// name ends in "test", which cmd/host's TestProductDoesNotLinkTestDoubles
// keeps out of the binary); it imports nothing of host's.
package hosttest
