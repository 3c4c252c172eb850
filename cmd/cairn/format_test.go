package main

import "testing"

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0:             "0 Bytes",
		1023:          "1023 Bytes",
		1024:          "1.0 KiB",
		1536:          "1.5 KiB",
		70 << 20:      "70.0 MiB",
		3 << 30:       "3.0 GiB",
		5<<40 + 1<<39: "5.5 TiB",
		1 << 62:       "4.0 EiB",
	} {
		if got := formatSize(n, true); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := formatSize(1536, false); got != "1536" {
		t.Errorf("plain size %q", got)
	}
}
