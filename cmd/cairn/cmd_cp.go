package main

import (
	"mime"
	"path/filepath"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/spf13/cobra"
)

// cpFlags are the options of cp.
type cpFlags struct {
	writes       writeFlags
	recursive    bool
	contentType  string
	storageClass string
	metadata     map[string]string
	versionID    string
}

func newCpCmd(a *app) *cobra.Command {
	var f cpFlags
	cmd := &cobra.Command{
		Use:   "cp SRC DST",
		Short: "Copy files and objects",
		Long: `Copy a local file to an object, an object to a local file, or an object to
another object (server side, no bytes through cairn). SRC and DST are local
paths, s3://bucket/key URLs, or "-" for standard input or output.

When DST ends in "/", names a bucket, or is an existing local directory, the
copy takes SRC's base name. --recursive copies a whole directory or prefix.
Large files go up in parts, several at once; on a terminal a progress bar
shows bytes, rate and time left. Uploads take their content type from the
file's extension unless --content-type is given. In an object-to-object
copy, --content-type and --metadata replace the source's metadata.`,
		Example: `  cairn cp report.pdf s3://docs/2026/
  cairn cp s3://docs/2026/report.pdf .
  cairn cp --recursive ./site s3://www/
  tar c . | cairn cp - s3://backups/home.tar
  cairn cp s3://docs/a.txt - | less`,
		Args: cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			src, err := parseLocation(args[0])
			if err != nil {
				return err
			}
			dst, err := parseLocation(args[1])
			if err != nil {
				return err
			}
			if err := f.check(src, dst); err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st objstore.Store) error {
				wst, err := f.writes.apply(st)
				if err != nil {
					return err
				}
				return copyAll(cmd.Context(), a, wst, src, dst, f)
			})
		}),
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.recursive, "recursive", "r", false, "copy every file under a directory or every object under a prefix")
	fl.StringVar(&f.contentType, "content-type", "", "content type of the objects written")
	fl.StringVar(&f.storageClass, "storage-class", "", "storage class of the objects written (STANDARD, STANDARD_IA, GLACIER, ...)")
	fl.StringToStringVar(&f.metadata, "metadata", nil, "user metadata of the objects written, as key=value,...")
	fl.StringVar(&f.versionID, "version-id", "", "copy this version of the source object")
	f.writes.register(fl, false)
	return cmd
}

// check refuses the combinations of arguments and flags cp cannot do.
func (f cpFlags) check(src, dst location) error {
	switch {
	case !src.remote() && !dst.remote():
		return usagef("one of SRC and DST must be an s3:// URL")
	case f.recursive && (src.stdio() || dst.stdio()):
		return usagef("--recursive does not go with -")
	case f.versionID != "" && (!src.remote() || f.recursive):
		return usagef("--version-id needs one s3:// object as SRC")
	case src.stdio() && dst.isDirLike():
		return usagef("%s: copying from - needs a full object key", dst)
	case !f.recursive && src.remote() && src.isDirLike():
		return usagef("%s: expected an object URL (s3://bucket/key), or --recursive", src)
	}
	return nil
}

// putOptions are what an upload of the local file name sets.
func (f cpFlags) putOptions(name string) objstore.PutOptions {
	m := f.meta()
	if m.ContentType == "" && name != "" {
		m.ContentType = mime.TypeByExtension(filepath.Ext(name))
	}
	return objstore.PutOptions{ObjectMeta: m}
}

// copyOptions are what a server-side copy of src sets.
func (f cpFlags) copyOptions(src location) objstore.CopyOptions {
	co := objstore.CopyOptions{
		Source: objstore.CopySource{Bucket: src.bucket, Key: src.key, VersionID: f.versionID},
		Meta:   f.meta(),
	}
	if f.contentType != "" || len(f.metadata) > 0 {
		co.MetadataDirective = objstore.MetadataReplace
	}
	return co
}

func (f cpFlags) meta() objstore.ObjectMeta {
	m := objstore.ObjectMeta{ContentType: f.contentType, StorageClass: objstore.StorageClass(f.storageClass)}
	if len(f.metadata) > 0 {
		m.UserMetadata = make(map[string]string, len(f.metadata))
		for k, v := range f.metadata {
			m.UserMetadata[strings.ToLower(k)] = v
		}
	}
	return m
}
