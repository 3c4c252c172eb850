// Package ignore decides which local paths the folder sync skips.
//
// A Matcher answers, for a slash-separated path relative to the synced
// root, whether the sync ignores it. A path below an ignored directory is
// ignored too, and nothing can re-include it (as in git).
//
// # Always ignored
//
// The sync's state directory [StateDir] (".cairn") at the root, and
// cairn's own partial downloads, whose names start with [TempPrefix]
// (".cairn-tmp-"), at any depth. No option or pattern changes this.
//
// # .cairnignore files
//
// A file named .cairnignore in the root or in any directory below it
// holds patterns in the syntax of .gitignore, with the same meaning:
//
//   - blank lines match nothing; a line starting with '#' is a comment;
//     "\#" and "\!" start a pattern with a literal '#' or '!';
//   - trailing spaces are dropped unless quoted with a backslash;
//   - "!pattern" re-includes what an earlier pattern ignored;
//   - "pattern/" matches directories only;
//   - a pattern without a slash (other than a trailing one) matches the
//     name of a file or directory at any depth below the ignore file's
//     directory; a pattern with a slash at its start or in its middle is
//     anchored to that directory;
//   - '*' matches anything but a slash, '?' one character but a slash,
//     "[a-z]", "[!a-z]" and "[[:alpha:]]" a character class, '\' quotes
//     the next character;
//   - "**/" at the start matches in any directory, "/**" at the end
//     matches everything inside, and "/**/" matches zero or more
//     directories.
//
// Within one file the last matching pattern wins. Across files, a deeper
// file wins over a shallower one; patterns given in [Options.Extra] win
// over every file, and the built-in defaults below lose to all of them, so
// "!*.tmp" in a .cairnignore syncs *.tmp files again. A malformed pattern
// (such as an unclosed '[') never matches anything, as in git; no content
// of an ignore file is an error. A .cairnignore that is a symbolic link is
// not followed. Matching is case sensitive.
//
// Ignore files are read lazily and cached; call [Matcher.Reload] after one
// changes.
//
// # Defaults
//
// Unless [Options.NoDefaults] is set, these temporary and system files are
// ignored (patterns in .cairnignore syntax):
//
//	.*.sw[a-p] .*.swx     vim swap files
//	4913                  vim's write-permission probe
//	*~                    backups of emacs, vim, gedit, kate and others
//	.#*                   emacs lock links
//	\#*#                  emacs auto-save files
//	.*.kate-swp           kate swap files
//	*___jb_tmp___         JetBrains IDEs safe write
//	*___jb_old___         JetBrains IDEs safe write
//	~$*                   Microsoft Office owner files
//	.~lock.*#             LibreOffice lock files
//	*.tmp                 temporary files of many programs
//	.goutputstream-*      gedit and other GIO programs
//	*.crdownload          Chrome and Chromium downloads
//	*.part                Firefox downloads
//	*.partial             Internet Explorer and Edge downloads
//	*.opdownload          Opera downloads
//	*.download/           Safari downloads
//	.DS_Store             macOS Finder
//	._*                   macOS resource forks on foreign file systems
//	.AppleDouble/         macOS resource forks on network shares
//	.Spotlight-V100/      macOS Spotlight
//	.fseventsd/           macOS file system events
//	.Trashes/             macOS trash
//	.TemporaryItems/      macOS temporary items
//	Icon\r                macOS custom folder icons (a carriage return ends the name)
//	Thumbs.db             Windows Explorer thumbnails
//	ehthumbs.db           Windows Media Center thumbnails
//	desktop.ini           Windows Explorer folder settings
//	$RECYCLE.BIN/         Windows recycle bin
//	.Trash-*              freedesktop.org trash on other volumes
//	.directory            KDE Dolphin folder settings
//	.nfs<8 hex digits>*   NFS client files deleted while open
//	.fuse_hidden*         FUSE file systems, files deleted while open
//	/lost+found/          fsck at the root of a file system
//	.~tmp~/               rsync --delay-updates
//	.syncthing.*.tmp      Syncthing downloads
//	~syncthing~*.tmp      Syncthing downloads on Windows
//	.unison.*             Unison temporary files
//	.dropbox.cache/       Dropbox
package ignore
