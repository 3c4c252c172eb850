package selectsql

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore/selectsql/eventstream"
)

// guideQuery is the S3 guide's example query.
const guideQuery = "SELECT * FROM S3Object WHERE status = 'failed' AND amount > 1000"

// ordersCSV builds an orders CSV of about size bytes, laid out as the
// bench suite's: id, status, amount, customer and a note, some quoted.
func ordersCSV(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	statuses := []string{"failed", "ok", "ok", "pending", "refunded"}
	notes := []string{"standard", "express delivery", `"gift, wrapped"`, "", "call before delivery"}
	out := make([]byte, 0, size+128)
	out = append(out, "id,status,amount,customer,note\n"...)
	for id := int64(1); len(out) < size; id++ {
		out = strconv.AppendInt(out, id, 10)
		out = append(out, ',')
		out = append(out, statuses[r.IntN(len(statuses))]...)
		out = append(out, ',')
		out = strconv.AppendInt(out, int64(r.IntN(5000)), 10)
		out = append(out, '.')
		out = strconv.AppendInt(out, int64(10+r.IntN(90)), 10)
		out = append(out, ",cust"...)
		out = strconv.AppendInt(out, int64(r.IntN(100000)), 10)
		out = append(out, ',')
		out = append(out, notes[r.IntN(len(notes))]...)
		out = append(out, '\n')
	}
	return out
}

// benchSelect runs query over data, CSV with a header, once per iteration.
func benchSelect(b *testing.B, query, output string, data []byte) {
	var req Request
	if err := xmlDecode(csvRequest(query, "<FileHeaderInfo>USE</FileHeaderInfo>", output), &req); err != nil {
		b.Fatal(err)
	}
	if err := req.Validate(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		w := eventstream.NewWriter(io.Discard, nil)
		if err := Run(context.Background(), &req, &memObject{data: data}, w, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	// On a shared machine wall time says little: the CPU time the process
	// spent per byte is the measure that holds.
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(len(data))*float64(b.N)/1e6/cpu, "cpuMB/s")
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSelectCSV runs the guide's query over a 64 MiB CSV in memory.
func BenchmarkSelectCSV(b *testing.B) {
	benchSelect(b, guideQuery, "", ordersCSV(64<<20))
}

// BenchmarkSelectCSVColumns projects two columns of the same CSV.
func BenchmarkSelectCSVColumns(b *testing.B) {
	benchSelect(b, "SELECT id, amount FROM S3Object WHERE status = 'failed' AND amount > 1000", "", ordersCSV(64<<20))
}

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
	benchSelect(b, guideQuery, "", data)
}
