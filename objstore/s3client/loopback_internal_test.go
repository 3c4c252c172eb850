package s3client

import "testing"

// TestLoopback tells endpoints on this machine from others.
func TestLoopback(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"http://127.0.0.1:9000":     true,
		"http://127.1.2.3":          true,
		"http://[::1]:9000":         true,
		"http://localhost:9000":     true,
		"https://LocalHost":         true,
		"http://10.0.0.5:9000":      false,
		"https://s3.amazonaws.com":  false,
		"http://localhost.evil.com": false,
		"":                          false,
	} {
		if got := loopback(endpoint); got != want {
			t.Errorf("loopback(%q) = %v, want %v", endpoint, got, want)
		}
	}
}
