package oauth

import "time"

// SetPollUnit makes one second of a device polling interval last d and
// returns the restore function.
func SetPollUnit(d time.Duration) (restore func()) {
	old := pollUnit
	pollUnit = d
	return func() { pollUnit = old }
}

// CallbackAt is when f's accepted callback arrived.
func CallbackAt(f *Flow) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.callbackAt
}
