package ignore

import "strings"

// Names the sync engine shares with this package.
const (
	// FileName is the name of a per-directory ignore file.
	FileName = ".cairnignore"
	// StateDir is the sync's state directory at the root of the tree. It
	// is always ignored.
	StateDir = ".cairn"
	// TempPrefix starts the name of every temporary file cairn writes while
	// downloading. Such files are always ignored, at any depth.
	TempPrefix = ".cairn-tmp-"
)

// defaultRule is one built-in pattern and the program that leaves such
// files behind.
type defaultRule struct {
	pattern string
	program string
}

// defaultRules lists the built-in patterns. Keep the package
// documentation in step with it.
func defaultRules() []defaultRule {
	hex8 := strings.Repeat("[0-9a-f]", 8)
	return []defaultRule{
		{".*.sw[a-p]", "vim swap files"},
		{".*.swx", "vim swap file"},
		{"4913", "vim's write-permission probe"},
		{"*~", "backups of emacs, vim, gedit, kate and others"},
		{".#*", "emacs lock links"},
		{`\#*#`, "emacs auto-save files"},
		{".*.kate-swp", "kate swap files"},
		{"*___jb_tmp___", "JetBrains IDEs safe write"},
		{"*___jb_old___", "JetBrains IDEs safe write"},
		{"~$*", "Microsoft Office owner files"},
		{".~lock.*#", "LibreOffice lock files"},
		{"*.tmp", "temporary files of many programs"},
		{".goutputstream-*", "gedit and other GIO programs"},
		{"*.crdownload", "Chrome and Chromium downloads"},
		{"*.part", "Firefox downloads"},
		{"*.partial", "Internet Explorer and Edge downloads"},
		{"*.opdownload", "Opera downloads"},
		{"*.download/", "Safari downloads"},
		{".DS_Store", "macOS Finder"},
		{"._*", "macOS resource forks on foreign file systems"},
		{".AppleDouble/", "macOS resource forks on network shares"},
		{".Spotlight-V100/", "macOS Spotlight"},
		{".fseventsd/", "macOS file system events"},
		{".Trashes/", "macOS trash"},
		{".TemporaryItems/", "macOS temporary items"},
		{"Icon\r", "macOS custom folder icons"},
		{"Thumbs.db", "Windows Explorer thumbnails"},
		{"ehthumbs.db", "Windows Media Center thumbnails"},
		{"desktop.ini", "Windows Explorer folder settings"},
		{"$RECYCLE.BIN/", "Windows recycle bin"},
		{".Trash-*", "freedesktop.org trash on other volumes"},
		{".directory", "KDE Dolphin folder settings"},
		{".nfs" + hex8 + "*", "NFS client files deleted while open"},
		{".fuse_hidden*", "FUSE file systems, files deleted while open"},
		{"/lost+found/", "fsck at the root of a file system"},
		{".~tmp~/", "rsync --delay-updates"},
		{".syncthing.*.tmp", "Syncthing downloads"},
		{"~syncthing~*.tmp", "Syncthing downloads on Windows"},
		{".unison.*", "Unison temporary files"},
		{".dropbox.cache/", "Dropbox"},
	}
}

// defaultPatterns returns the built-in patterns in ignore-file syntax.
func defaultPatterns() []string {
	rules := defaultRules()
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.pattern
	}
	return out
}
