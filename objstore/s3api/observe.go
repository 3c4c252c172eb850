package s3api

import (
	"io"
	"net/http"
)

// statusWriter remembers the status a handler sent, for Config.Observe.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// ReadFrom keeps the connection's sendfile path for object bodies.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status sent; 200 when the handler sent nothing.
func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// operation names the S3 operation r asks for after the handler the
// router picks for it: putObject serves PutObject.
func (s *Server) operation(r *http.Request) string {
	rq := &request{r: r, query: r.URL.Query()}
	if s.route(rq) != nil {
		return "Unknown"
	}
	h, err := s.handler(rq)
	if err != nil || h == nil {
		return "Unknown"
	}
	if name := handlerName(h); name != "" {
		return name
	}
	return "Unknown"
}
