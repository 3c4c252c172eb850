// Package watch reports changes in a directory tree as batches of paths,
// for the folder sync.
//
// A Watcher puts an inotify watch (through fsnotify) on the root and on
// every directory below it that Options.Ignore does not exclude; all of
// them are in place when New returns, so a scan started afterwards misses
// nothing.
//
// # What is reported
//
// Every path that is created, written, removed, renamed (the old and the
// new name) or has its metadata changed, as a slash-separated path
// relative to the root. Ignored paths are never reported. Symbolic links
// are reported as themselves and never followed.
//
// A directory that appears (mkdir -p, a tree moved in from elsewhere, an
// archive unpacked) is watched first and listed afterwards, at every
// level, and everything found is reported; an entry created meanwhile is
// either listed or has an event of its own, so nothing created is missed.
// A directory removed or renamed away loses its watches, and the consumer
// must treat its path as covering its whole former subtree.
//
// # Settling
//
// A path is reported only after it has had no event for Options.Settle,
// so a file that is still being written is reported once, when it is
// quiet. With Options.MaxDelay, a path that never goes quiet is reported
// that long after its first event. Paths that settle together form one
// Batch, sorted and without duplicates. A consumer that is slow to
// receive never blocks the intake of events: batches merge until it
// receives.
//
// # Rescans
//
// A Batch with Rescan set means events may have been lost and the whole
// tree must be rescanned. That happens when the kernel's event queue
// overflows, when a watch cannot be added for an unexpected reason, when
// the root is removed or renamed away (logged as an error; the root is
// checked every Options.PollInterval and watched again when it is back),
// and when the inotify watch limit (sysctl fs.inotify.max_user_watches)
// is exhausted: then one warning naming the sysctl is logged and a Rescan
// batch follows every Options.PollInterval for as long as the Watcher
// runs, while the directories that do have watches keep reporting.
//
// # Changing the ignore rules
//
// Options.Ignore is consulted as events arrive and while directories are
// walked. When the rules behind it change (a .cairnignore was edited),
// call Refresh: it watches the directories no longer ignored, drops the
// watches of the ones now ignored and sends a Rescan batch.
//
// Close stops the Watcher's goroutines and closes the Events channel.
package watch
