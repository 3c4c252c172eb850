package service

// isRoot tells whether the process may change system services; on
// Windows the service manager itself refuses a user without the right.
func isRoot() bool { return true }
