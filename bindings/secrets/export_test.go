package secrets

// SetTestHookBeforeRename makes the file backend call f after writing and
// syncing its temp file and before renaming it over the secrets file.
func SetTestHookBeforeRename(f func(tmp string)) { testHookBeforeRename = f }
