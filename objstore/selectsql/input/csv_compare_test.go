package input

import (
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCSVMatchesEncodingCSV reads a file of plain, quoted and escaped
// fields, lines with and without quotes mixed, across a block boundary
// and from readers that return little at a time, and checks every
// record against encoding/csv.
func TestCSVMatchesEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cells := []string{"a", "", "x y", `"q, r"`, `"he said ""hi"""`, "12.5", `""`, `"plain"`}
	var b strings.Builder
	for range 60000 { // over a block of 1 MiB
		n := 1 + r.IntN(6)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(cells[r.IntN(len(cells))])
		}
		b.WriteByte('\n')
	}
	data := b.String()
	want := readEncodingCSV(t, data)
	for _, step := range []int{7, 1 << 16, len(data)} {
		c, err := NewCSV(&chunkReader{s: data, step: step}, CSVOptions{}.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			rec, err := c.Next()
			if errors.Is(err, io.EOF) {
				if i != len(want) {
					t.Fatalf("step %d: %d records, want %d", step, i, len(want))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for k := 0; k < rec.Len(); k++ {
				got = append(got, rec.Index(k).S)
			}
			if !slices.Equal(got, want[i]) {
				t.Fatalf("step %d, record %d: %q, want %q", step, i, got, want[i])
			}
		}
	}
}

func readEncodingCSV(t *testing.T, data string) [][]string {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(data))
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// chunkReader returns at most step bytes a read.
type chunkReader struct {
	s    string
	step int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.step)], c.s)
	c.s = c.s[n:]
	return n, nil
}
