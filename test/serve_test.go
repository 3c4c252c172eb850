package test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeGeneratesRootCredentialOnce starts cairn serve without
// credentials in the environment: the first start creates one, keeps it
// in the data directory with mode 0600 and prints the secret; the second
// start reuses it and prints no secret.
func TestServeGeneratesRootCredentialOnce(t *testing.T) {
	data := t.TempDir()
	first := serveOnce(t, data)
	if !strings.Contains(first, "secret key: ") || !strings.Contains(first, "access key: CAIRN") {
		t.Fatalf("first start printed no new credential:\n%s", first)
	}
	fi, err := os.Stat(filepath.Join(data, "root-credential.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("root credential file: %v, mode %v, want 0600", err, fi.Mode())
	}
	second := serveOnce(t, data)
	if strings.Contains(second, "secret key") {
		t.Fatalf("second start printed the secret again:\n%s", second)
	}
	if key := lineAfter(first, "access key: "); key == "" || lineAfter(second, "access key: ") != key {
		t.Fatalf("access key changed between starts: %q then %q", key, lineAfter(second, "access key: "))
	}
}

// serveOnce starts cairn serve without credentials in the environment,
// reads what it prints up to the endpoint line, and stops it.
func serveOnce(t *testing.T, data string) string {
	t.Helper()
	cmd := exec.Command(cairnBinary(t), "serve", "--data", data, "--listen", "127.0.0.1:0")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "CAIRN_") {
			env = append(env, e)
		}
	}
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Signal(syscall.SIGTERM)
	var b strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "data: ") {
			break
		}
	}
	return b.String()
}

func lineAfter(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), prefix); ok {
			return v
		}
	}
	return ""
}

// TestServeTLS serves HTTPS with a certificate of the test's own and uses
// it with the aws CLI trusting that certificate.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeSelfSignedCert(t, dir)
	s := startServe(t, "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(s.endpoint, "https://") {
		t.Fatalf("endpoint %s is not https", s.endpoint)
	}
	aws := func(args ...string) string {
		t.Helper()
		return s.run(t, awsCLI(t), append([]string{"--endpoint-url", s.endpoint, "--ca-bundle", cert}, args...)...)
	}
	aws("s3", "mb", "s3://secure")
	want := writeRandomFile(t, filepath.Join(dir, "f"), 9<<20)
	aws("s3", "cp", filepath.Join(dir, "f"), "s3://secure/f")
	aws("s3", "cp", "s3://secure/f", filepath.Join(dir, "back"))
	if got := mustRead(t, filepath.Join(dir, "back")); string(got) != string(want) {
		t.Fatal("object read back over HTTPS differs")
	}
}

// writeSelfSignedCert writes a certificate for 127.0.0.1 and its key.
func writeSelfSignedCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cairn test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})))
	return certFile, keyFile
}
