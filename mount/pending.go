package mount

// Pending counts the files holding content that is written and not
// stored yet: the mount's upload queue.
func (f *FS) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.dirty)
}
