package secrets

// SetTestHookBeforeRename makes the file backend call f after writing and
// syncing its temp file and before renaming it over the secrets file.
func SetTestHookBeforeRename(f func(tmp string)) { testHookBeforeRename = f }

// SetTestKDF makes new files use argon2id with time passes over memory KiB
// (the format is the same; only the cost differs) and returns the undo.
func SetTestKDF(time, memory uint32) (restore func()) {
	t, m := kdfTime, kdfMemory
	kdfTime, kdfMemory = time, memory
	return func() { kdfTime, kdfMemory = t, m }
}

// UseProductionKDF is SetTestKDF with the parameters new files get.
func UseProductionKDF() (restore func()) { return SetTestKDF(3, 64<<10) }
