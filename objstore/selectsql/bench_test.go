package selectsql

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
)

// BenchmarkGuideQuery runs the guide's query over the CSV file named by
// $SELECT_BENCH_CSV (skipped without it).
func BenchmarkGuideQuery(b *testing.B) {
	path := os.Getenv("SELECT_BENCH_CSV")
	if path == "" {
		b.Skip("set SELECT_BENCH_CSV to a CSV file with a header")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var req Request
	if err := xmlDecode(csvRequest("SELECT * FROM S3Object WHERE status = 'failed' AND amount > 1000", "<FileHeaderInfo>USE</FileHeaderInfo>", ""), &req); err != nil {
		b.Fatal(err)
	}
	if err := req.Validate(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		w := eventstream.NewWriter(io.Discard, nil)
		if err := Run(context.Background(), &req, &memObject{data: data}, w, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
