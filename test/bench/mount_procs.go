package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// proc is a subprocess of the mount suite: cairn serve or a FUSE mount.
// It runs in its own process group, so that Ctrl-C reaches only the bench,
// which then unmounts and stops it in order.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

// startProc starts name with args and env added to the bench's own, its
// output going to a log file in logDir.
func startProc(name, logDir string, env []string, bin string, args ...string) (*proc, error) {
	logPath := filepath.Join(logDir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create log of %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	return p, nil
}

// exited tells whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// failure describes an early exit, pointing at the log.
func (p *proc) failure() error {
	return fmt.Errorf("%s exited (%v); its log: %s\n%s", p.name, p.err, p.log, tailOf(p.log, 10))
}

// stop asks the process to end (SIGTERM), and kills it when it has not
// within grace.
func (p *proc) stop(grace time.Duration) {
	if p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// tailOf returns the last n lines of a file.
func tailOf(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// buildCairn builds the cairn command from the repository into dir.
func buildCairn(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "cairn")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/cairn")
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/cairn: %w\n%s", err, out)
	}
	return bin, nil
}

// serveEnv is the environment that gives cairn its root credential.
func serveEnv() []string {
	return []string{"CAIRN_ACCESS_KEY=" + benchCredential.AccessKey, "CAIRN_SECRET_KEY=" + benchCredential.SecretKey}
}

// startServe runs cairn serve on a loopback port over the data in
// dataDir and returns it with its endpoint.
func startServe(ctx context.Context, bin, dataDir, logDir string) (*proc, string, error) {
	cmd := exec.Command(bin, "serve", "--data", dataDir, "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), serveEnv()...)
	logPath := filepath.Join(logDir, "serve.log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, "", fmt.Errorf("create log of cairn serve: %w", err)
	}
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Close()
		return nil, "", fmt.Errorf("cairn serve: %w", err)
	}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, "", fmt.Errorf("start cairn serve: %w", err)
	}
	p := &proc{name: "cairn serve", cmd: cmd, log: logPath, done: make(chan struct{})}
	endpoint := readEndpoint(out)
	go func() {
		io.Copy(log, out)
		p.err = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	if endpoint == "" {
		p.stop(5 * time.Second)
		return nil, "", fmt.Errorf("cairn serve printed no endpoint; its log: %s\n%s", logPath, tailOf(logPath, 10))
	}
	return p, endpoint, ctx.Err()
}

// readEndpoint reads cairn serve's output up to its "endpoint:" line.
func readEndpoint(r io.Reader) string {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if ep, ok := strings.CutPrefix(strings.TrimSpace(line), "endpoint: "); ok {
			return ep
		}
		if err != nil {
			return ""
		}
	}
}

// isMounted tells whether a file system is mounted on dir.
func isMounted(dir string) bool {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[4] == dir {
			return true
		}
	}
	return false
}

// waitMounted waits until p has mounted dir, failing when p exits first.
func waitMounted(ctx context.Context, p *proc, dir string) error {
	deadline := time.Now().Add(30 * time.Second)
	for !isMounted(dir) {
		switch {
		case p.exited():
			return p.failure()
		case time.Now().After(deadline):
			return fmt.Errorf("%s: %s not mounted within 30s; its log: %s", p.name, dir, p.log)
		case ctx.Err() != nil:
			return ctx.Err()
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// unmount unmounts dir: cleanly with fusermount3 -u, else lazily.
func unmount(dir string) error {
	if !isMounted(dir) {
		return nil
	}
	if exec.Command("fusermount3", "-u", dir).Run() == nil && !isMounted(dir) {
		return nil
	}
	if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("umount -l %s: %w: %s", dir, err, out)
	}
	return nil
}

// unmountBelow lazily unmounts whatever an earlier run that was killed
// left mounted below root.
func unmountBelow(root string) error {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return fmt.Errorf("read mountinfo: %w", err)
	}
	var errs []error
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 4 && strings.HasPrefix(f[4], root+"/") {
			errs = append(errs, unmount(f[4]))
		}
	}
	return errors.Join(errs...)
}
