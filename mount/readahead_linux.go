package mount

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// raiseReadahead sets the read-ahead window of the mount on dir to n
// bytes, through the sysfs file of its backing device. Only root may
// write it; a mount without the right keeps the kernel's default.
func raiseReadahead(dir string, n int) error {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return fmt.Errorf("stat mount point: %w", err)
	}
	path := fmt.Sprintf("/sys/class/bdi/%d:%d/read_ahead_kb", unix.Major(st.Dev), unix.Minor(st.Dev))
	if err := os.WriteFile(path, []byte(strconv.Itoa(n>>10)), 0); err != nil {
		return fmt.Errorf("set read-ahead: %w", err)
	}
	return nil
}
