package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/spf13/cobra"
)

// statInfo is what stat reports of an object version.
type statInfo struct {
	URL          string            `json:"url"`
	Size         int64             `json:"size"`
	ETag         string            `json:"etag"`
	LastModified time.Time         `json:"lastModified"`
	ContentType  string            `json:"contentType,omitempty"`
	StorageClass string            `json:"storageClass"`
	Encryption   string            `json:"encryption,omitempty"`
	Restore      string            `json:"restore,omitempty"`
	VersionID    string            `json:"versionId,omitempty"`
	Parts        int               `json:"parts,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
}

func newStatCmd(a *app) *cobra.Command {
	var (
		versionID string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "stat s3://BUCKET/KEY",
		Short: "Show an object's size, ETag, times, metadata and tags",
		Long: `Show an object's size, ETag, last-modified time, content type, storage
class, version ID, user metadata and tags; --json prints them as one JSON object.`,
		Example: "  cairn stat s3://photos/2026/holiday.jpg\n  cairn stat s3://photos/a.txt --version-id 3HL4kq --json",
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			loc, err := objectArg(args[0])
			if err != nil {
				return err
			}
			var si statInfo
			err = a.withStore(cmd.Context(), func(st objstore.Store) error {
				si, err = statObject(cmd.Context(), st, loc, versionID)
				return err
			})
			if err != nil {
				return on(loc.String(), err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(si)
			}
			return printStat(a.stdout, si)
		}),
	}
	cmd.Flags().StringVar(&versionID, "version-id", "", "show this version instead of the current one")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// objectArg reads an argument that must be an s3:// URL of one object.
func objectArg(arg string) (location, error) {
	loc, err := parseURL(arg)
	if err == nil && loc.isDirLike() {
		return loc, usagef("%s: expected an object URL (s3://bucket/key)", arg)
	}
	return loc, err
}

func statObject(ctx context.Context, st objstore.Store, loc location, versionID string) (statInfo, error) {
	info, err := st.HeadObject(ctx, loc.bucket, loc.key, objstore.GetOptions{VersionID: versionID})
	if err != nil {
		return statInfo{}, err
	}
	tags, _, err := st.GetObjectTagging(ctx, loc.bucket, loc.key, versionID)
	if err != nil {
		return statInfo{}, err
	}
	class := info.StorageClass
	if class == "" {
		class = objstore.DefaultStorageClass
	}
	return statInfo{
		URL: loc.String(), Size: info.Size, ETag: info.ETag, LastModified: info.LastModified,
		ContentType: info.ContentType, StorageClass: string(class), VersionID: info.VersionID,
		Parts: info.PartsCount, Metadata: info.UserMetadata, Tags: tags,
		Restore: restoreText(info.Restore, time.Now()), Encryption: encryptionText(info.Encryption),
	}, nil
}

// printStat prints si as "Name: value" lines, leaving out what is empty.
func printStat(w io.Writer, si statInfo) error {
	fields := []struct{ name, value string }{
		{"Size", strconv.FormatInt(si.Size, 10)},
		{"ETag", `"` + si.ETag + `"`},
		{"Last-Modified", si.LastModified.Local().Format(time.RFC1123)},
		{"Content-Type", si.ContentType},
		{"Storage-Class", si.StorageClass},
		{"Encryption", si.Encryption},
		{"Restore", si.Restore},
		{"Version-Id", si.VersionID},
		{"Parts", partsCount(si.Parts)},
		{"Metadata", formatMap(si.Metadata)},
		{"Tags", formatMap(si.Tags)},
	}
	var b strings.Builder
	b.WriteString(si.URL + "\n")
	for _, f := range fields {
		if f.value != "" {
			fmt.Fprintf(&b, "  %-14s %s\n", f.name+":", f.value)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func partsCount(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
