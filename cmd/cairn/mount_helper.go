package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// mountHelperName is the name under which mount(8) runs a file system's
// helper: `mount -t cairn BUCKET DIR -o OPTS` and fstab lines of type
// cairn run /sbin/mount.cairn, a link to cairn.
const mountHelperName = "mount.cairn"

// ignoredMountOptions are the generic options mount(8) and fstab pass
// along that mean nothing to cairn.
var ignoredMountOptions = map[string]bool{
	"defaults": true, "auto": true, "noauto": true, "user": true, "nouser": true, "users": true,
	"_netdev": true, "nofail": true, "exec": true, "noexec": true, "suid": true, "nosuid": true,
	"dev": true, "nodev": true, "rw": true, "async": true, "atime": true, "noatime": true, "relatime": true,
}

// mountHelperArgs turns the command line of mount.cairn
// (SPEC DIR [-sfnv] [-o OPT[,OPT...]]) into cairn's
// (mount [--flag=value...] SPEC DIR). Options are cairn's flags with
// dashes or underscores (allow_other, file_mode=0640, endpoint=URL,
// data=DIR...); "ro" means --read-only; generic ones (defaults, noauto,
// _netdev, x-systemd.*...) are ignored.
func mountHelperArgs(args []string) ([]string, error) {
	var pos, flags []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-o":
			if i+1 == len(args) {
				return nil, usagef("%s: -o needs options", mountHelperName)
			}
			i++
			fl, err := mountOptionFlags(args[i])
			if err != nil {
				return nil, err
			}
			flags = append(flags, fl...)
		case strings.HasPrefix(a, "-o"):
			fl, err := mountOptionFlags(a[2:])
			if err != nil {
				return nil, err
			}
			flags = append(flags, fl...)
		case a == "-s", a == "-f", a == "-n", a == "-v":
			// sloppy, fake, no-mtab, verbose: nothing to do
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) != 2 {
		return nil, usagef("usage: %s BUCKET[/PREFIX] MOUNTPOINT [-o OPTIONS]", mountHelperName)
	}
	return append(append([]string{"mount"}, flags...), pos...), nil
}

func mountOptionFlags(opts string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(opts, ",") {
		name, value, hasValue := strings.Cut(strings.TrimSpace(o), "=")
		if ignoredMountOptions[name] || strings.HasPrefix(name, "x-") || strings.HasPrefix(name, "comment") {
			continue
		}
		name = strings.ReplaceAll(name, "_", "-")
		switch {
		case name == "":
		case name == "ro":
			out = append(out, "--read-only")
		case hasValue:
			out = append(out, fmt.Sprintf("--%s=%s", name, value))
		default:
			out = append(out, "--"+name)
		}
	}
	return out, nil
}

// isMountHelper tells whether cairn runs as mount.cairn.
func isMountHelper(argv0 string) bool { return filepath.Base(argv0) == mountHelperName }
